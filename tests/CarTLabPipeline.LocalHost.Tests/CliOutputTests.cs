using CarTLabPipeline.LocalHost.Cli;
using CarTLabPipeline.Results;

namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>What <c>cartlab results</c>, <c>timeline</c>, <c>schedule</c> and <c>evaluate</c> say when there is no answer.</summary>
public class CliOutputTests
{
    private static (int Code, string Out, string Error) NoAnswer(PatientQuery<string> query)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = new CliOutput(output, error).NoAnswer(query);
        return (code, output.ToString(), error.ToString().TrimEnd());
    }

    [Fact]
    public void ARecordTooLargeToRead_IsOneLineOnStandardError_NamingTheSetting_ExitCode1()
    {
        var (code, output, error) = NoAnswer(PatientQuery<string>.RecordTooLarge("PT-BIG", 100_000));

        Assert.Equal((1, string.Empty), (code, output));
        Assert.Equal("Patient PT-BIG has more than 100,000 results on record (Evaluation__MaxRecordVersions): the record is not read, so nothing is " +
            "shown from it and the patient is not evaluated; if the record is real, raise the setting and run cartlab monitor, if not, stop the " +
            "feed that sent it (the evaluation.record-too-large ops alert says how to find its files).", error);
    }

    [Fact]
    public void APatientNotEnrolled_SaysHowToEnroll_ExitCode1()
    {
        var (code, _, error) = NoAnswer(PatientQuery<string>.NotEnrolled("PT-NONE"));

        Assert.Equal((1, "Patient PT-NONE is not enrolled: check the id, or enroll them first ('cartlab enroll FILE')."), (code, error));
    }
}

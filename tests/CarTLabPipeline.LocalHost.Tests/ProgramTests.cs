using CarTLabPipeline.Patients;

namespace CarTLabPipeline.LocalHost.Tests;

/// <summary><c>cartlab</c>'s one top-level translation: a failure becomes one line on stderr and an exit code, never a stack trace.</summary>
public class ProgramTests
{
    [Fact]
    public void Describe_PermanentFailure_IsExitCode1_WithItsReason()
    {
        var (code, line) = Program.Describe(new EnrollmentValidationException("invalid enrollment: infusionDate is required"));

        Assert.Equal((1, "invalid enrollment: infusionDate is required"), (code, line));
    }

    [Fact]
    public void Describe_TransientFailure_SaysTryAgain_WithItsDelay()
    {
        var (code, line) = Program.Describe(TransientPipelineException.Contended("alert A-1", 10));

        Assert.Equal(Program.TransientFailure, code);
        Assert.Equal("alert A-1 changed concurrently 10 times (transient: try again in 2 s)", line);
    }

    [Fact]
    public void Describe_UnexpectedFailure_IsOneLine_NamingTheType()
    {
        var (code, line) = Program.Describe(new InvalidOperationException("azurite is not installed.\nRun npm ci."));

        Assert.Equal(Program.UnexpectedFailure, code);
        Assert.Equal("InvalidOperationException: azurite is not installed. Run npm ci. (--verbose prints the stack trace)", line);
    }
}

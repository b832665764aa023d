using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Patients;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarTLabPipeline.Core.Tests;

/// <summary>Builders for the synthetic data of the tests.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static Enrollment Enrollment(string patientId = "PT-T1", string infusion = "2024-08-27", string zone = "Europe/Rome") => new()
    {
        PatientId = patientId,
        InfusionDate = DateOnly.Parse(infusion, System.Globalization.CultureInfo.InvariantCulture),
        Product = "brexu-cel",
        TimeZone = zone,
        CareTeam = [new CareTeamMember("Dr Test", "dr.test@hospital.example")],
    };

    /// <summary>A result of <paramref name="analyte"/> collected on day <paramref name="day"/> at 08:00 Rome time.</summary>
    public static LabResult Result(Analyte analyte, int day, decimal? value, string? comparator = null, ResultStatus status = ResultStatus.Final,
        string patientId = "PT-T1", string infusion = "2024-08-27")
    {
        var date = DateOnly.Parse(infusion, System.Globalization.CultureInfo.InvariantCulture).AddDays(day);
        var collected = new DateTimeOffset(date.ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(2));
        var info = AnalyteCatalog.Get(analyte);
        return new LabResult
        {
            ResultId = ResultIds.ForResult(patientId, analyte, collected),
            PatientId = patientId,
            Analyte = analyte,
            Loinc = info.Loinc,
            Value = value,
            Comparator = comparator,
            Unit = info.CanonicalUnit,
            OriginalValue = value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            OriginalUnit = info.CanonicalUnit,
            CollectedAt = collected,
            Status = status,
            SourceFile = "test.csv",
        };
    }

    public static ResultNormalizer Normalizer(string defaultZone = "UTC") =>
        new(Options.Create(new IngestionOptions { DefaultTimeZone = defaultZone }), new FakeTimeProvider(Now));
}

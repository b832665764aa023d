using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.Contracts;

/// <summary>
/// Data for the port contracts: every field filled (so a round trip shows what a store keeps), ids unique per call (the
/// Azure contracts share one Azurite).
/// </summary>
public static class ContractData
{
    /// <summary>An id unique to the test, safe as a table key, a blob name and a queue name (lowercase, ≤ 63 chars).</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A version of a result with every field set (MRD: comparator, sensitivity, qualitative flag).</summary>
    public static LabResult Version(string patientId, string resultId = "result-1", string versionId = "v1", decimal? value = 0.012m,
        ResultStatus status = ResultStatus.Final, Analyte analyte = Analyte.Mrd) => new()
        {
            ResultId = resultId,
            VersionId = versionId,
            PatientId = patientId,
            Analyte = analyte,
            Loinc = AnalyteCatalog.Get(analyte).Loinc,
            Value = value,
            Comparator = "<",
            Detected = false,
            Unit = "%",
            OriginalValue = "<0.012",
            OriginalUnit = "%",
            Sensitivity = 0.0001m,
            CollectedAt = new DateTimeOffset(2024, 9, 24, 8, 0, 0, TimeSpan.FromHours(2)),
            ReportedAt = new DateTimeOffset(2024, 9, 25, 14, 30, 15, TimeSpan.FromHours(2)),
            ReceivedAt = new DateTimeOffset(2024, 9, 25, 14, 31, 2, 250, TimeSpan.FromHours(2)),
            Status = status,
            Specimen = "bone marrow",
            Method = "flow",
            Lab = "hospital-lab",
            Identity = $"acc:A-{resultId}|mrd|",
            SourceFile = "hospital-lab/2024-09-25.hl7",
            SourceLine = 7,
        };

    public static Enrollment Enrollment(string patientId, params string[] careTeam) => new()
    {
        PatientId = patientId,
        InfusionDate = new DateOnly(2024, 8, 27),
        Product = "brexu-cel",
        TimeZone = "Europe/Rome",
        CareTeam = careTeam.Length == 0
            ? [new CareTeamMember("Dr Test", "dr.test@hospital.example")]
            : [.. careTeam.Select(e => new CareTeamMember("Member", e))],
        EnrolledAt = new DateTimeOffset(2024, 8, 20, 9, 0, 0, TimeSpan.Zero),
    };

    /// <summary>An alert of <paramref name="patientId"/> with an id of its own and one piece of evidence.</summary>
    public static Alert Alert(string patientId, string? alertId = null, string title = "IgG below 300 mg/dL") => new()
    {
        AlertId = alertId ?? Guid.NewGuid().ToString("N"),
        PatientId = patientId,
        RuleId = "igg.low",
        Severity = AlertSeverity.Warning,
        Title = title,
        Summary = "IgG 250 mg/dL on day +28, below 300 mg/dL; first IgG on record.",
        SuggestedAction = "Consider IVIG replacement.",
        DayPostInfusion = 28,
        ObservedAt = new DateTimeOffset(2024, 9, 24, 8, 0, 0, TimeSpan.FromHours(2)),
        Evidence =
        [
            new AlertEvidence
            {
                ResultId = "result-1",
                Analyte = "igg",
                Loinc = "2465-3",
                Value = 250m,
                Unit = "mg/dL",
                CollectedAt = new DateTimeOffset(2024, 9, 24, 8, 0, 0, TimeSpan.FromHours(2)),
                DayPostInfusion = 28,
                VersionId = "v1",
                Status = ResultStatus.Final,
            },
        ],
        Status = AlertStatus.Open,
        CreatedAt = new DateTimeOffset(2024, 9, 25, 12, 31, 2, TimeSpan.Zero),
        Product = "brexu-cel",
        InfusionDate = new DateOnly(2024, 8, 27),
    };

    /// <summary>The pending deliveries of a raised alert: the topic, and an email to <paramref name="recipients"/>.</summary>
    public static Dictionary<string, Delivery> Deliveries(params string[] recipients)
    {
        var list = new List<Delivery> { new() { Channel = "lab-alerts", Event = AlertEvents.Raised } };
        list.AddRange(recipients.Select(r => new Delivery { Channel = "email", Event = AlertEvents.Raised, Recipient = r }));
        return list.ToDictionary(d => d.Key, StringComparer.Ordinal);
    }

    /// <summary>A report of a file with a unique content hash.</summary>
    public static IngestionReport Report(string file, IngestionStatus status = IngestionStatus.Processing, int errors = 0) => new()
    {
        File = file,
        ContentSha256 = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"),
        SizeBytes = 1234,
        Format = LabFileFormat.Csv,
        Status = status,
        Stored = 10,
        Rejected = errors,
        Patients = 2,
        UnknownPatients = ["PT-UNKNOWN-1"],
        Errors = [.. Enumerable.Range(1, errors).Select(i => new IngestionError(i + 1, null, "value", $"row {i}: not a number"))],
        StartedAt = new DateTimeOffset(2024, 9, 25, 12, 0, 0, TimeSpan.Zero),
    };

    /// <summary>The JSON of a value (records holding lists compare by reference; their JSON compares by content).</summary>
    public static string Json<T>(T value) => PipelineJson.Serialize(value);
}

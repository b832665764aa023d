namespace CarTLabPipeline.Ingestion;

/// <summary>
/// A result as a reader found it, before normalisation: texts as sent, plus what the format already parsed.
/// </summary>
public sealed record RawResult
{
    public required string PatientId { get; init; }

    /// <summary>Keyword of docs/design.md §6a, or a LOINC code.</summary>
    public required string AnalyteCode { get; init; }

    /// <summary>The value as sent: a number, a comparator and number (<c>&lt;0.01</c>) or a text (<c>not detected</c>).</summary>
    public required string ValueText { get; init; }

    public string? Unit { get; init; }

    /// <summary>The collection time as sent (ISO 8601; without an offset it is read in the configured default zone).</summary>
    public required string CollectedAtText { get; init; }

    /// <summary>
    /// True when the source sent no collection time and <see cref="CollectedAtText"/> is the message's time instead (HL7
    /// MSH-7, FHIR <c>issued</c>): allowed only for a withdrawal that carries the lab's identity of the result (accession or
    /// identifier), and stored as <see cref="Domain.CollectionTimeKind.MessageTime"/>.
    /// </summary>
    public bool CollectedAtIsMessageTime { get; init; }

    /// <summary>Collection time already parsed by the reader (HL7 timestamps), which then takes precedence over the text.</summary>
    public DateTimeOffset? CollectedAt { get; init; }

    public string? StatusText { get; init; }

    public string? Specimen { get; init; }

    public string? Method { get; init; }

    public string? Lab { get; init; }

    /// <summary>
    /// The lab's order or accession number (HL7 filler order number OBR-3, else ORC-3, else placer OBR-2; CSV/queue
    /// <c>accession</c>). With the analyte and <see cref="SubId"/> it is the result's identity (see <see cref="Domain.ResultIdentity"/>).
    /// </summary>
    public string? Accession { get; init; }

    /// <summary>HL7 OBX-4 sub-id: tells apart two results of one analyte in one order.</summary>
    public string? SubId { get; init; }

    /// <summary>
    /// An identity the source gives the result itself, used before <see cref="Accession"/>: FHIR <c>Observation.identifier</c>
    /// (<c>system|value</c>), else the resource id within its source (<c>Observation/{id}@{lab}</c>).
    /// </summary>
    public string? ExternalId { get; init; }

    /// <summary>
    /// When the lab issued this version of the result, as sent (HL7 OBX-19, else MSH-7; FHIR <c>issued</c>, else
    /// <c>meta.lastUpdated</c>; CSV <c>reported_at</c>). Orders versions of one status.
    /// </summary>
    public string? ReportedAtText { get; init; }

    /// <summary><see cref="ReportedAtText"/> already parsed by the reader (HL7 timestamps).</summary>
    public DateTimeOffset? ReportedAt { get; init; }

    /// <summary>The LOINC code the lab sent (HL7 OBX-3 with system LN, FHIR coding of http://loinc.org), stored as received.</summary>
    public string? Loinc { get; init; }

    /// <summary>The sending facility (HL7 MSH-4): with the drop-zone folder, chooses the lab's conventions.</summary>
    public string? SendingFacility { get; init; }

    /// <summary>
    /// The lab's interpretation of a qualitative finding, read from HL7 OBX-8 or FHIR <c>interpretation</c> (MRD only):
    /// true for detected/positive (POS, DET, A), false for not detected/negative (NEG, ND), null when not stated.
    /// </summary>
    public bool? Interpretation { get; init; }

    /// <summary>
    /// True when <see cref="ValueText"/> is a number the format itself defines (a FHIR JSON decimal): its <c>.</c> is the
    /// decimal point whatever the lab's conventions.
    /// </summary>
    public bool InvariantNumber { get; init; }

    /// <summary>Achieved sensitivity text as sent (<c>1e-4</c>, <c>0.01%</c>, <c>1x10^-4</c>).</summary>
    public string? SensitivityText { get; init; }

    /// <summary>1-based line (CSV) or segment position (HL7).</summary>
    public int Line { get; init; }

    /// <summary>HL7 segment label, e.g. <c>OBX[3]</c>.</summary>
    public string? Segment { get; init; }

    /// <summary>
    /// The result of docs/design.md §4's fields — CSV columns, or the same fields in camelCase in a queue message. Required fields
    /// (<c>patient_id</c>, <c>collected_at</c>, <c>analyte</c>) must have been checked by the caller.
    /// </summary>
    /// <param name="field">The value of a field by its CSV name, or null.</param>
    /// <param name="line">Line of the row, when there is one.</param>
    public static RawResult FromFields(Func<string, string?> field, int line = 0)
    {
        ArgumentNullException.ThrowIfNull(field);
        var analyte = field("analyte")!;
        return new RawResult
        {
            PatientId = field("patient_id")!,
            CollectedAtText = field("collected_at")!,
            AnalyteCode = analyte,
            ValueText = field("value") ?? string.Empty,
            Unit = field("unit"),
            Specimen = field("specimen"),
            Method = field("method"),
            StatusText = field("status"),
            Lab = field("lab"),
            SensitivityText = field("sensitivity"),
            Accession = field("accession"),
            ReportedAtText = field("reported_at"),
            Line = line,
        };
    }
}

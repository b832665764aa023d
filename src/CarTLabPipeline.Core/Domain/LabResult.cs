namespace CarTLabPipeline.Domain;

/// <summary>
/// One version of a normalised lab result, as stored in the <c>LabResults</c> table. Versions are never overwritten:
/// every version the lab sent is a row of its own, and the current record is resolved from them (<see cref="LabRecord"/>).
/// </summary>
/// <remarks>
/// <see cref="Value"/> is in the analyte's canonical unit (<see cref="Unit"/>), except MRD, which keeps the unit it was
/// sent in (% or fraction) and is compared as a fraction (<see cref="MrdFraction"/>). A censored value keeps its
/// <see cref="Comparator"/>; a qualitative one ("not detected") has <see cref="Detected"/> set and may have no value.
/// </remarks>
public sealed record LabResult
{
    /// <summary>
    /// The result's id: a hash of the patient and the lab's identity of the result (<see cref="Identity"/>), the same for
    /// every version of it, in every format.
    /// </summary>
    public required string ResultId { get; init; }

    /// <summary>Hash of this version's content (status, value and unit as sent, times): the same version sent twice is one row.</summary>
    public string VersionId { get; init; } = string.Empty;

    public required string PatientId { get; init; }

    public required Analyte Analyte { get; init; }

    /// <summary>LOINC code as received, or the catalogue default when the lab sent a keyword or local code.</summary>
    public required string Loinc { get; init; }

    /// <summary>Value in <see cref="Unit"/>; null for a purely qualitative result.</summary>
    public decimal? Value { get; init; }

    /// <summary><c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> or null.</summary>
    public string? Comparator { get; init; }

    /// <summary>False for "not detected"/"negative", true for "detected"/"positive", null when not stated.</summary>
    public bool? Detected { get; init; }

    /// <summary>UCUM code of <see cref="Value"/>'s unit.</summary>
    public required string Unit { get; init; }

    /// <summary>The value exactly as the lab sent it.</summary>
    public required string OriginalValue { get; init; }

    /// <summary>The unit exactly as the lab sent it.</summary>
    public required string OriginalUnit { get; init; }

    /// <summary>Achieved assay sensitivity as a fraction (1E-4 = 0.01 %), when the lab sent it (MRD).</summary>
    public decimal? Sensitivity { get; init; }

    /// <summary>
    /// Collection time with the offset the lab sent. A date-only value (<see cref="CollectionTimeKind.Date"/>) is placed at
    /// noon of the lab's day; the date itself (<see cref="CollectedDate"/>) is what counts.
    /// </summary>
    public required DateTimeOffset CollectedAt { get; init; }

    /// <summary>What <see cref="CollectedAt"/> is: a collection instant (default), a calendar date, or a message time standing in for a withdrawal that sent none.</summary>
    public CollectionTimeKind CollectedAtKind { get; init; }

    /// <summary>
    /// The calendar date the lab sent, for a date-only collection time: day +N is counted from this date as sent, never
    /// from the instant converted to another zone. Null when the lab sent a time.
    /// </summary>
    public DateOnly? CollectedDate => CollectedAtKind == CollectionTimeKind.Date ? DateOnly.FromDateTime(CollectedAt.DateTime) : null;

    public required ResultStatus Status { get; init; }

    public string? Specimen { get; init; }

    public string? Method { get; init; }

    public string? Lab { get; init; }

    /// <summary>
    /// The lab's identity of this result, from which <see cref="ResultId"/> is made: <c>acc:</c> accession + analyte + sub-id,
    /// <c>ext:</c> the source's own id (FHIR identifier), or <c>at:</c> analyte + specimen + collection instant when the lab
    /// gives none (see <c>ResultIdentity</c>).
    /// </summary>
    public string? Identity { get; init; }

    /// <summary>When the lab issued this version (HL7 OBX-19/MSH-7, FHIR issued/meta.lastUpdated, CSV reported_at); null when not sent.</summary>
    public DateTimeOffset? ReportedAt { get; init; }

    /// <summary>When this pipeline received this version (breaks exact ties between versions: the later arrival wins).</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The file (blob name) or message the result came from.</summary>
    public required string SourceFile { get; init; }

    /// <summary>Line (CSV) or segment index (HL7) in <see cref="SourceFile"/>.</summary>
    public int SourceLine { get; init; }

    /// <summary>Where in the file, when a line does not say it: the HL7 segment (<c>OBX[3] of message X</c>) or FHIR path (<c>Bundle.entry[4]</c>).</summary>
    public string? SourceSegment { get; init; }

    /// <summary>MRD as a fraction (0.7 % → 0.007); null for other analytes or without a value.</summary>
    public decimal? MrdFraction => Analyte == Analyte.Mrd && Value is { } v ? (Unit == "%" ? v / 100m : v) : null;

    /// <summary>True when the result takes part in rule evaluation (its current version is final or corrected).</summary>
    public bool IsEvaluable => Status is ResultStatus.Final or ResultStatus.Corrected;
}

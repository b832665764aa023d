
namespace CarTLabPipeline.Ingestion;

/// <summary>The ledger's and the rejection report's record of one file.</summary>
public sealed record IngestionReport
{
    /// <summary>Blob name in the drop zone.</summary>
    public required string File { get; init; }

    /// <summary>SHA-256 of the content, hex.</summary>
    public required string ContentSha256 { get; init; }

    public long SizeBytes { get; init; }

    public LabFileFormat Format { get; init; }

    public IngestionStatus Status { get; init; }

    public int Stored { get; init; }

    public int Rejected { get; init; }

    /// <summary>Rows that are not ours (another analyte): not errors.</summary>
    public int Skipped { get; init; }

    /// <summary><see cref="Skipped"/> by reason, with the codes (or message types) seen, in file order.</summary>
    public IReadOnlyList<SkipSummary> SkippedBy { get; init; } = [];

    /// <summary>
    /// Results stored with a part that could not be read (e.g. an MRD sensitivity: kept as unknown); the first ones, up to
    /// the configured maximum.
    /// </summary>
    public IReadOnlyList<IngestionError> Warnings { get; init; } = [];

    /// <summary>Patients with results in the file.</summary>
    public int Patients { get; init; }

    /// <summary>Patients in the file who are not enrolled: their results are stored and evaluated once they are.</summary>
    public IReadOnlyList<string> UnknownPatients { get; init; } = [];

    /// <summary>The first errors (up to the configured maximum); <see cref="Rejected"/> counts them all.</summary>
    public IReadOnlyList<IngestionError> Errors { get; init; } = [];

    /// <summary>
    /// While processing: when the current attempt claimed the file or last renewed its claim (what the processing lease is
    /// measured from). Once complete: when the last attempt started.
    /// </summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>
    /// When the content arrived (its first claim): the arrival time every result of the file carries, kept by the
    /// attempts that resume it and by a replay. Null in rows written before it was kept (then <see cref="StartedAt"/>).
    /// </summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>For a duplicate: the file under which the content was first processed.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>
    /// How many attempts have claimed the content (1 for the first; 0 in rows written before attempts were counted). After
    /// the configured maximum the file is completed as <see cref="IngestionStatus.Rejected"/>.
    /// </summary>
    public int Attempts { get; init; }

    /// <summary>The exception type and message of the last attempt that failed (never row values), when one did.</summary>
    public string? LastError { get; init; }
}

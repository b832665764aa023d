using System.Text.Json.Serialization;

namespace CarTLabPipeline.Ingestion;

/// <summary>What happened to a file: the ledger row, the <c>&lt;name&gt;.errors.json</c> report, the CLI's summary.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IngestionStatus>))]
public enum IngestionStatus
{
    /// <summary>
    /// Claimed, not finished. Returned by an ingestion that found another attempt's claim younger than the processing lease:
    /// the file is in progress elsewhere (or that attempt died: a later try resumes it once the lease is over).
    /// </summary>
    [JsonStringEnumMemberName("processing")]
    Processing,
    /// <summary>Every row stored (or skipped as not ours).</summary>
    [JsonStringEnumMemberName("processed")]
    Processed,
    /// <summary>Valid rows stored, some rows rejected.</summary>
    [JsonStringEnumMemberName("partial")]
    Partial,
    /// <summary>
    /// The file as a whole could not be read and nothing was stored; or every attempt to process it failed (see
    /// <see cref="IngestionReport.LastError"/>).
    /// </summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,
    /// <summary>The same content was already processed (under this or another name).</summary>
    [JsonStringEnumMemberName("duplicate")]
    Duplicate,
}

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

    /// <summary>Patients with results in the file.</summary>
    public int Patients { get; init; }

    /// <summary>Patients in the file who are not enrolled: their results are stored and evaluated once they are.</summary>
    public IReadOnlyList<string> UnknownPatients { get; init; } = [];

    /// <summary>The first errors (up to the configured maximum); <see cref="Rejected"/> counts them all.</summary>
    public IReadOnlyList<IngestionError> Errors { get; init; } = [];

    /// <summary>When the current (or last) attempt started: what the processing lease is measured from.</summary>
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

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

/// <summary>How many results of a file were skipped for one reason, and which codes they had.</summary>
/// <param name="Kind">The reason.</param>
/// <param name="Count">How many results.</param>
/// <param name="Codes">The distinct codes (or message types), in file order, at most <see cref="MaxCodes"/>.</param>
public sealed record SkipSummary(SkipKind Kind, int Count, IReadOnlyList<string> Codes)
{
    /// <summary>Most codes kept per reason.</summary>
    public const int MaxCodes = 20;
}

/// <summary>Counts skipped results by reason as a file is read (see <see cref="IngestionReport.SkippedBy"/>).</summary>
public sealed class SkipTally
{
    private readonly Dictionary<SkipKind, (int Count, List<string> Codes)> _byKind = [];

    public int Total { get; private set; }

    public void Add(SkippedResult skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        Total++;
        var (count, codes) = _byKind.GetValueOrDefault(skipped.Kind, (0, []));
        if (skipped.Code is { Length: > 0 } code && codes.Count < SkipSummary.MaxCodes && !codes.Contains(code, StringComparer.Ordinal))
        {
            codes.Add(code);
        }

        _byKind[skipped.Kind] = (count + 1, codes);
    }

    public IReadOnlyList<SkipSummary> Summaries() =>
        [.. _byKind.OrderBy(k => k.Key).Select(k => new SkipSummary(k.Key, k.Value.Count, k.Value.Codes))];
}

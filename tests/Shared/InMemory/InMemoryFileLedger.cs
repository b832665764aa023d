using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>
/// <see cref="IFileLedger"/> in memory, with the semantics of <c>TableFileLedger</c>: one row per content hash (the report
/// as JSON, cut to a sample of its errors and unknown patients as the table row is), one row per blob name with the ETag
/// and content hash it was handled at; <see cref="TryBeginAsync"/> inserts if absent, <see cref="CompleteAsync"/> and
/// <see cref="RecordBlobAsync"/> replace. Thread-safe.
/// </summary>
public sealed class InMemoryFileLedger : IFileLedger
{
    /// <summary>Errors kept in the row, as the table adapter keeps them; the full list is in the rejection report.</summary>
    public const int ErrorsInRow = 20;

    public const int UnknownPatientsInRow = 200;

    public const int MaxJsonChars = 30_000;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, string> _content = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (string? ETag, string ContentSha256)> _blobs = new(StringComparer.Ordinal);

    public Task<bool> TryBeginAsync(IngestionReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        cancellationToken.ThrowIfCancellationRequested();
        var json = RowJson(report);
        lock (_lock)
        {
            return Task.FromResult(_content.TryAdd(report.ContentSha256, json));
        }
    }

    public Task<IngestionReport?> GetAsync(string contentSha256, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_content.TryGetValue(contentSha256, out var json) ? PipelineJson.Deserialize<IngestionReport>(json) : null);
        }
    }

    public Task CompleteAsync(IngestionReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        cancellationToken.ThrowIfCancellationRequested();
        var json = RowJson(report);
        lock (_lock)
        {
            _content[report.ContentSha256] = json;
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryReplaceClaimAsync(IngestionReport current, IngestionReport replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(replacement);
        cancellationToken.ThrowIfCancellationRequested();
        var json = RowJson(replacement);
        lock (_lock)
        {
            // As the table adapter: only the claim as the caller read it (status, start, attempts) is replaced.
            if (!_content.TryGetValue(current.ContentSha256, out var heldJson) || PipelineJson.Deserialize<IngestionReport>(heldJson) is not { } held ||
                held.Status != current.Status || held.StartedAt != current.StartedAt || held.Attempts != current.Attempts)
            {
                return Task.FromResult(false);
            }

            _content[current.ContentSha256] = json;
            return Task.FromResult(true);
        }
    }

    public Task RecordBlobAsync(string blobName, string? etag, string contentSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _blobs[blobName] = (etag, contentSha256);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, string?>> GetHandledBlobsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyDictionary<string, string?> handled = _blobs.ToDictionary(b => b.Key, b => b.Value.ETag, StringComparer.Ordinal);
            return Task.FromResult(handled);
        }
    }

    /// <summary>Every report in the ledger (test helper), by content hash, as the rows hold them.</summary>
    public IReadOnlyList<IngestionReport> Reports()
    {
        lock (_lock)
        {
            return [.. _content.Values.Select(json => PipelineJson.Deserialize<IngestionReport>(json)!)];
        }
    }

    /// <summary>The content hash blob <paramref name="blobName"/> was handled at, or null (test helper).</summary>
    public string? ContentOf(string blobName)
    {
        lock (_lock)
        {
            return _blobs.TryGetValue(blobName, out var blob) ? blob.ContentSha256 : null;
        }
    }

    /// <summary>The report as the row keeps it: the counts, and the first errors and unknown patients that fit.</summary>
    private static string RowJson(IngestionReport report)
    {
        int errors = ErrorsInRow, unknown = UnknownPatientsInRow;
        string json;
        do
        {
            json = PipelineJson.Serialize(report with
            {
                Errors = report.Errors.Take(errors).ToList(),
                UnknownPatients = report.UnknownPatients.Take(unknown).ToList(),
            });
            (errors, unknown) = (errors / 2, unknown / 2);
        }
        while (json.Length > MaxJsonChars && (errors > 0 || unknown > 0));

        return json;
    }
}

using System.Collections.Concurrent;
using CarTLabPipeline.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// The reconciliation sweep (docs/design.md §2): lists the drop zone and ingests every blob the ledger does not know at its
/// current version. Trigger delivery is best effort; this makes "nothing dropped is left unprocessed" hold.
/// </summary>
/// <remarks>
/// Each file is isolated: one whose ingestion throws (storage refusing a write…) is logged with its name and failure
/// count, the sweep goes on with the files listed after it, and the file is tried again on a later sweep after a back-off
/// (<see cref="FirstRetryDelay"/>, doubled per failure up to <see cref="MaxRetryDelay"/>; kept in memory per host, and
/// reset when the blob changes). A file in progress elsewhere is looked at again after <see cref="InProgressRecheck"/>: its
/// claim is renewed while its attempt lives, so once that attempt's host has died the file is resumed within a lease.
/// </remarks>
public sealed class ReconciliationService(
    ILabFileStore files,
    IFileLedger ledger,
    LabFileIngestionService ingestion,
    TimeProvider time,
    ILogger<ReconciliationService> logger)
{
    /// <summary>Wait before a file that failed is tried again.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Wait before a file in progress elsewhere is looked at again: shorter than the processing lease, so a file whose
    /// attempt died with its host is resumed at the first sweep after its claim went stale.
    /// </summary>
    public static readonly TimeSpan InProgressRecheck = TimeSpan.FromSeconds(15);

    /// <summary>Longest wait between two tries of a file that keeps failing.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Retry> _retries = new(StringComparer.Ordinal);

    /// <summary>Ingests every unhandled blob (those waiting for a retry excepted); returns the reports of those it ingested.</summary>
    /// <remarks>Never throws for one file; throws when the drop zone or the ledger cannot be listed.</remarks>
    public async Task<IReadOnlyList<IngestionReport>> SweepAsync(CancellationToken cancellationToken)
    {
        var handled = await ledger.GetHandledBlobsAsync(cancellationToken).ConfigureAwait(false);
        var reports = new List<IngestionReport>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        int failed = 0, waiting = 0;
        await foreach (var blob in files.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            listed.Add(blob.Name);
            if (handled.TryGetValue(blob.Name, out var etag) && ETags.Same(etag, blob.ETag))
            {
                _retries.TryRemove(blob.Name, out _);
                continue;
            }

            var now = time.GetUtcNow();
            var retry = _retries.TryGetValue(blob.Name, out var r) && ETags.Same(r.ETag, blob.ETag) ? r : null;
            if (retry is not null && now < retry.NotBefore)
            {
                waiting++;
                continue;
            }

            try
            {
                var report = await ingestion.IngestAsync(blob, cancellationToken).ConfigureAwait(false);
                reports.Add(report);
                if (report.Status == IngestionStatus.Processing)
                {
                    // In progress elsewhere: not a failure. Looked at again soon, since its holder may be dead.
                    _retries[blob.Name] = new Retry(blob.ETag, retry?.Failures ?? 0, now + InProgressRecheck);
                }
                else
                {
                    _retries.TryRemove(blob.Name, out _);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                failed++;
                var failures = (retry?.Failures ?? 0) + 1;
                var next = new Retry(blob.ETag, failures, now + Delay(failures));
                _retries[blob.Name] = next;
                Log.SweepFileFailed(logger, blob.Name, failures, ex.GetType().Name, next.NotBefore);
            }
        }

        foreach (var name in _retries.Keys.Where(n => !listed.Contains(n)).ToList())
        {
            _retries.TryRemove(name, out _); // deleted from the drop zone
        }

        var duplicates = reports.Count(r => r.Status == IngestionStatus.Duplicate);
        var inProgress = reports.Count(r => r.Status == IngestionStatus.Processing);
        Log.SweepCompleted(logger, reports.Count - duplicates - inProgress, duplicates, inProgress, failed, waiting);
        return reports;
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row: 1 min, 2, 4 … up to 1 h.</summary>
    public static TimeSpan Delay(int failures) =>
        failures <= 1 ? FirstRetryDelay
        : TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Min(failures - 1, 20)));

    private sealed record Retry(string? ETag, int Failures, DateTimeOffset NotBefore);
}

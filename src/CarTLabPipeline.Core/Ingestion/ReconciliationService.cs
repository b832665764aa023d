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
/// reset when the blob changes). A file in progress elsewhere is looked at again when its claim goes stale (its attempt
/// renews it while it lives: once that attempt's host has died, the claim goes stale within a lease), at the latest after
/// <see cref="InProgressRecheck"/>; <see cref="NextRecheckAt"/> says when, so that a host can sweep then instead of at its
/// next interval — a file a crashed host left half done is resumed a lease after the crash, not a sweep interval later.
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
    /// Longest wait before a file in progress elsewhere is looked at again (sooner when its claim goes stale sooner).
    /// </summary>
    public static readonly TimeSpan InProgressRecheck = TimeSpan.FromSeconds(15);

    /// <summary>Looked at this long after a claim went stale, so that the attempt's own clock has seen it stale too.</summary>
    public static readonly TimeSpan StaleMargin = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between two tries of a file that keeps failing.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Retry> _retries = new(StringComparer.Ordinal);

    /// <summary>
    /// The earliest time a file this host saw in progress elsewhere is due to be looked at again; null when there is none.
    /// (Files waiting after a failure are not counted: their back-off is a minute or more, and the interval covers it.)
    /// </summary>
    public DateTimeOffset? NextRecheckAt
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var retry in _retries.Values)
            {
                if (retry.InProgress && (next is null || retry.NotBefore < next))
                {
                    next = retry.NotBefore;
                }
            }

            return next;
        }
    }

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
                    // In progress elsewhere: not a failure. Looked at again when its claim goes stale (its holder may be dead).
                    var stale = ingestion.ClaimGoesStaleAt(report) + StaleMargin;
                    _retries[blob.Name] = new Retry(blob.ETag, retry?.Failures ?? 0, stale < now + InProgressRecheck ? stale : now + InProgressRecheck, InProgress: true);
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

    private sealed record Retry(string? ETag, int Failures, DateTimeOffset NotBefore, bool InProgress = false);
}

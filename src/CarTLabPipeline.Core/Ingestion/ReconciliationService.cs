using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// The reconciliation sweep (DESIGN §2): lists the drop zone and ingests every blob the ledger does not know at its
/// current version. Trigger delivery is best effort; this makes "nothing dropped is left unprocessed" hold.
/// </summary>
public sealed class ReconciliationService(
    ILabFileStore files,
    IFileLedger ledger,
    LabFileIngestionService ingestion,
    ILogger<ReconciliationService> logger)
{
    /// <summary>Ingests every unhandled blob; returns their reports.</summary>
    public async Task<IReadOnlyList<IngestionReport>> SweepAsync(CancellationToken cancellationToken)
    {
        var handled = await ledger.GetHandledBlobsAsync(cancellationToken).ConfigureAwait(false);
        var reports = new List<IngestionReport>();
        await foreach (var blob in files.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (handled.TryGetValue(blob.Name, out var etag) && etag == blob.ETag)
            {
                continue;
            }

            reports.Add(await ingestion.IngestAsync(blob, cancellationToken).ConfigureAwait(false));
        }

        Log.SweepCompleted(logger, reports.Count);
        return reports;
    }
}

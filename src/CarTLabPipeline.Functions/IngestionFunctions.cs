using Azure.Storage.Blobs;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Ingestion;
using Microsoft.Azure.Functions.Worker;

namespace CarTLabPipeline.Functions;

/// <summary>Lab files into the pipeline: the drop-zone blob trigger and the reconciliation sweep.</summary>
public sealed class IngestionFunctions(LabFileIngestionService ingestion, ReconciliationService sweep, InboundResultService inbound)
{
    /// <summary>One result posted as JSON on <c>lab-results-inbound</c>.</summary>
    [Function("IngestLabMessage")]
    public Task IngestLabMessage(
        [QueueTrigger(PipelineNames.Queues.LabResultsInbound, Connection = PipelineNames.Settings.StorageConnection)] string message,
        string id,
        CancellationToken cancellationToken) =>
        inbound.HandleMessageAsync(message, id, cancellationToken);

    /// <summary>
    /// A blob written to <c>lab-results</c>. Flex Consumption supports only the Event Grid source for blob triggers.
    /// </summary>
    [Function("IngestLabFile")]
    public async Task IngestLabFile(
        [BlobTrigger(PipelineNames.Containers.LabResultsTriggerPath, Source = BlobTriggerSource.EventGrid, Connection = PipelineNames.Settings.StorageConnection)]
        BlobClient blob,
        CancellationToken cancellationToken)
    {
        var source = await BlobLabFileSource.FromBlobAsync(blob, cancellationToken).ConfigureAwait(false);
        await ingestion.IngestAsync(source, collectResultIds: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every 15 minutes (and at start-up): ingest every blob the ledger does not know (Event Grid gives up after 24 h).</summary>
    [Function("ReconcileLabFiles")]
    public Task ReconcileLabFiles([TimerTrigger("0 */15 * * * *", RunOnStartup = true)] TimerInfo timer, CancellationToken cancellationToken) =>
        sweep.SweepAsync(cancellationToken);
}

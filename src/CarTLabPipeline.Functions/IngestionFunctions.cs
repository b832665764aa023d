using CarTLabPipeline.Adapters;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Messaging;
using Microsoft.Azure.Functions.Worker;

namespace CarTLabPipeline.Functions;

/// <summary>
/// Lab files into the pipeline: the drop-zone blob events, queued results and the reconciliation sweep. Queue messages run
/// through <see cref="QueueMessageHandler"/> (malformed → poison at once with the reason; transient → the queue retries).
/// </summary>
public sealed class IngestionFunctions(LabFileEventService blobEvents, ReconciliationService sweep, InboundResultService inbound, QueueMessageHandler messages)
{
    /// <summary>One result posted as JSON on <c>lab-results-inbound</c>.</summary>
    [Function("IngestLabMessage")]
    public Task IngestLabMessage(
        [QueueTrigger(PipelineNames.Queues.LabResultsInbound, Connection = SettingNames.StorageConnection)] string message,
        string id,
        CancellationToken cancellationToken) =>
        messages.RunAsync(PipelineNames.Queues.LabResultsInbound, id, message, ct => inbound.HandleMessageAsync(message, id, ct), cancellationToken);

    /// <summary>
    /// A blob written to <c>lab-results</c>: Event Grid delivers its <c>BlobCreated</c> event (filtered on
    /// <c>data.api</c>) to the <c>lab-results-events</c> queue, declared in Bicep with no post-deploy step (docs/adr/0003).
    /// </summary>
    [Function("IngestLabFile")]
    public Task IngestLabFile(
        [QueueTrigger(PipelineNames.Queues.LabResultsEvents, Connection = SettingNames.StorageConnection)] string message,
        string id,
        CancellationToken cancellationToken) =>
        messages.RunAsync(PipelineNames.Queues.LabResultsEvents, id, message, ct => blobEvents.HandleMessageAsync(message, ct), cancellationToken);

    /// <summary>Every 15 minutes (and at start-up): ingest every blob the ledger does not know (Event Grid gives up after 24 h).</summary>
    [Function("ReconcileLabFiles")]
    public Task ReconcileLabFiles([TimerTrigger("0 */15 * * * *", RunOnStartup = true)] TimerInfo timer, CancellationToken cancellationToken) =>
        sweep.SweepAsync(cancellationToken);
}

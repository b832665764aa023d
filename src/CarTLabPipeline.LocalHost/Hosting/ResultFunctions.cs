using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Messaging;
using Microsoft.Azure.WebJobs;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The inbound and evaluation queue triggers of docs/design.md §2 on the WebJobs SDK: bind, call the same Core service the
/// Functions app calls through the same <see cref="QueueMessageHandler"/> (malformed → poison at once with the reason;
/// transient → the queue retries), done. The dispatch trigger is <see cref="DispatchFunctions"/>: a session that does
/// not send leaves notifications queued.
/// </summary>
public sealed class ResultFunctions(
    InboundResultService inbound,
    PatientEvaluationService evaluation,
    QueueMessageHandler messages,
    PipelineActivity activity)
{
    [FunctionName("IngestLabMessage")]
    public async Task IngestLabMessage([QueueTrigger(PipelineNames.Queues.LabResultsInbound)] string message, string id, CancellationToken cancellationToken)
    {
        await activity.RunAsync(cancellationToken, ct => messages.RunAsync(PipelineNames.Queues.LabResultsInbound, id, message, c => inbound.HandleMessageAsync(message, id, c), ct))
            .ConfigureAwait(false);
    }

    [FunctionName("EvaluatePatient")]
    public async Task EvaluatePatient([QueueTrigger(PipelineNames.Queues.PatientEvaluations)] string message, string id, CancellationToken cancellationToken)
    {
        await activity.RunAsync(cancellationToken, ct => messages.RunAsync(PipelineNames.Queues.PatientEvaluations, id, message, c => evaluation.HandleMessageAsync(message, c), ct))
            .ConfigureAwait(false);
    }
}

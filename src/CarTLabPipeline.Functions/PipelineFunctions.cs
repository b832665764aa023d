using CarTLabPipeline.Adapters;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Messaging;
using CarTLabPipeline.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace CarTLabPipeline.Functions;

/// <summary>
/// The queue-triggered stages of docs/design.md §2: evaluate a patient, dispatch an alert. Each runs through
/// <see cref="QueueMessageHandler"/>: a malformed message goes to poison at once with its reason, a transient failure is
/// retried by the queue after the delay it asks for.
/// </summary>
public sealed class PipelineFunctions(PatientEvaluationService evaluation, AlertDispatchService dispatch, MonitoringService monitoring,
    OutboxRecoveryService outboxRecovery, QueueMessageHandler messages, Operations.PipelineStatusService status,
    Operations.PipelineGauges gauges, Operations.FeedSilenceAlerts feeds)
{
    /// <summary>Every 15 minutes: labs watched with <c>Ingestion__Labs__{lab}__ExpectedEvery</c> that went silent raise <c>ingest.feed-silent</c>.</summary>
    [Function("WatchLabFeeds")]
    public Task WatchLabFeeds([TimerTrigger("0 */15 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        feeds.CheckAsync(cancellationToken);

    /// <summary>
    /// At start-up and every 5 minutes: the pipeline's status becomes the gauges the deployment's alert rules watch (queue
    /// ages, poison depths, failed deliveries, minutes since each lab's last file).
    /// </summary>
    [Function("PublishPipelineGauges")]
    public async Task PublishPipelineGauges([TimerTrigger("30 */5 * * * *", RunOnStartup = true)] TimerInfo timer, CancellationToken cancellationToken) =>
        gauges.Update(await status.GetAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>At start-up and every 5 minutes: notices still to send (a crashed instance's claims, lost messages) are queued again.</summary>
    [Function("ResumeNotifications")]
    public Task ResumeNotifications([TimerTrigger("0 */5 * * * *", RunOnStartup = true)] TimerInfo timer, CancellationToken cancellationToken) =>
        outboxRecovery.ResumeAsync(cancellationToken);

    /// <summary>Daily at 06:00 UTC: evaluate every enrolled patient, so overdue assessments are raised without new results.</summary>
    [Function("MonitoringSchedule")]
    public Task MonitoringSchedule([TimerTrigger("0 0 6 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        monitoring.RunAsync(cancellationToken);

    [Function("EvaluatePatient")]
    public Task EvaluatePatient(
        [QueueTrigger(PipelineNames.Queues.PatientEvaluations, Connection = SettingNames.StorageConnection)] string message,
        string id,
        CancellationToken cancellationToken) =>
        messages.RunAsync(PipelineNames.Queues.PatientEvaluations, id, message, ct => evaluation.HandleMessageAsync(message, ct), cancellationToken);

    [Function("DispatchAlert")]
    public Task DispatchAlert(
        [QueueTrigger(PipelineNames.Queues.AlertNotifications, Connection = SettingNames.StorageConnection)] string message,
        string id,
        CancellationToken cancellationToken) =>
        messages.RunAsync(PipelineNames.Queues.AlertNotifications, id, message, ct => dispatch.HandleMessageAsync(message, ct), cancellationToken);
}

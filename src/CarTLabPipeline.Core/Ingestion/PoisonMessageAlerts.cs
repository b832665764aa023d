using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// <c>ingest.poison-message</c>: a queue message (a result posted on <c>lab-results-inbound</c>, or a malformed
/// evaluation, notification or blob-event message) could never be processed and was moved to its poison queue. For ops
/// (docs/design.md §5a); raised once per message id, under the pseudo-patient <see cref="OpsPartition"/> so it never mixes with a
/// patient's clinical alerts. The text names the queue, the message and what failed, never a value.
/// </summary>
public sealed class PoisonMessageAlerts(AlertOutbox outbox, TimeProvider time)
{
    public const string RuleId = "ingest.poison-message";

    /// <summary>Partition (patient id) of ops alerts that belong to no patient.</summary>
    public const string OpsPartition = "_ops";

    /// <param name="queueName">The queue the message came from.</param>
    /// <param name="messageId">The queue's id of the message.</param>
    /// <param name="what">What went wrong, without any content (e.g. "its unit could not be read").</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task<bool> RaiseAsync(string queueName, string messageId, string what, CancellationToken cancellationToken)
    {
        var alert = Alert.ForOps(RuleId, OpsPartition, [messageId], AlertSeverity.Warning,
            queueName == PipelineNames.Queues.LabResultsInbound ? "A queued lab result could not be processed" : "A pipeline message could not be processed",
            $"Message {messageId} on {queueName} was moved to {queueName}{PipelineNames.Queues.PoisonSuffix}: {what}. " +
            "The message and the full reason are kept there.",
            queueName == PipelineNames.Queues.LabResultsInbound
                ? "Read the reason on the poison queue, have the sending system fix and re-send the result, then delete the poisoned message."
                : "Read the reason on the poison queue, fix whatever wrote the message, then delete the poisoned message.",
            time.GetUtcNow());
        return outbox.TryRaiseAsync(alert, null, cancellationToken);
    }
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;

namespace CarTLabPipeline.Evaluation;

/// <summary>
/// <c>ingest.poison-message</c>: a result posted on <c>lab-results-inbound</c> could never be processed and was moved to
/// the poison queue. For ops (docs/design.md §5a); raised once per message id, under the pseudo-patient <see cref="OpsPartition"/>
/// so it never mixes with a patient's clinical alerts. The text names the message and the field, never a value.
/// </summary>
public sealed class PoisonMessageAlerts(AlertOutbox outbox, TimeProvider time)
{
    public const string RuleId = "ingest.poison-message";

    /// <summary>Partition (patient id) of ops alerts that belong to no patient.</summary>
    public const string OpsPartition = "_ops";

    public Task<bool> RaiseAsync(string messageId, string field, CancellationToken cancellationToken)
    {
        var alert = Alert.ForOps(RuleId, OpsPartition, [messageId], AlertSeverity.Warning,
            "A queued lab result could not be processed",
            $"Message {messageId} on {PipelineNames.Queues.LabResultsInbound} was moved to {PipelineNames.Queues.LabResultsInbound}" +
            $"{PipelineNames.Queues.PoisonSuffix}: its {field} could not be read. The message and the full reason are kept there.",
            "Read the reason on the poison queue, have the sending system fix and re-send the result, then delete the poisoned message.",
            time.GetUtcNow());
        return outbox.TryRaiseAsync(alert, null, cancellationToken);
    }
}

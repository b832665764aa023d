namespace CarTLabPipeline.Alerts;

/// <summary>The outcome of <see cref="AlertQueryService.AcknowledgeAsync"/>: the status and, unless not found, the alert as stored.</summary>
public sealed record AcknowledgeOutcome(AcknowledgeStatus Status, string AlertId, Alert? Alert)
{
    /// <summary>One sentence for a person: what happened and, when it did not work, why.</summary>
    public string Detail => Status switch
    {
        AcknowledgeStatus.Acknowledged => $"alert {AlertId} acknowledged by {Alert?.AcknowledgedBy} at {Alert?.AcknowledgedAt:u}",
        AcknowledgeStatus.NotFound => $"no alert {AlertId}",
        AcknowledgeStatus.Retracted => $"alert {AlertId} was retracted ({Alert?.RetractionReason}); there is nothing to acknowledge",
        _ => $"alert {AlertId} changed concurrently {AlertQueryService.MaxAttempts} times while being acknowledged; try again",
    };
}

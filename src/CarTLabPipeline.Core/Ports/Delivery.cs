namespace CarTLabPipeline.Ports;

/// <summary>
/// One delivery of one alert event on one channel (and, for email, one recipient). Keyed in the outbox by
/// <c>{channel}|{event}[#{revision}][|{recipient}]</c>, e.g. <c>lab-alerts|raised</c>, <c>email|updated#2|dr@…</c>.
/// </summary>
public sealed record Delivery
{
    public required string Channel { get; init; }

    /// <summary><c>raised</c>, <c>updated</c> or <c>retracted</c> (<see cref="AlertEvents"/>).</summary>
    public required string Event { get; init; }

    /// <summary>The alert revision this notice tells of (<see cref="Alerts.Alert.Revision"/>); 1 for the first notice.</summary>
    public int Revision { get; init; } = 1;

    public string? Recipient { get; init; }

    public DeliveryState State { get; init; } = DeliveryState.Pending;

    public int Attempts { get; init; }

    public string? LastError { get; init; }

    public string? ProviderMessageId { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>After a transient failure: not to be tried again before this time (back-off, or the provider's Retry-After).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>For an <c>escalated</c> notice, the escalation's number (<see cref="Alerts.AlertEscalation.Number"/>); 0 otherwise.</summary>
    public int Escalation { get; init; }

    public string Key
    {
        get
        {
            var alertEvent = Escalation > 0 ? $"{Event}.{Escalation}" : Revision > 1 ? $"{Event}#{Revision}" : Event;
            return Recipient is null ? $"{Channel}|{alertEvent}" : $"{Channel}|{alertEvent}|{Recipient}";
        }
    }

    /// <summary>True once this delivery can no longer be sent (sent, failed for good, or replaced by a later notice).</summary>
    public bool IsSettled => State is DeliveryState.Sent or DeliveryState.Failed or DeliveryState.Superseded;
}

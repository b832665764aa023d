using System.Text.Json.Serialization;

namespace CarTLabPipeline.Ports;

/// <summary>State of one delivery in an alert's outbox.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryState>))]
public enum DeliveryState
{
    [JsonStringEnumMemberName("pending")]
    Pending,
    /// <summary>Claimed by a dispatcher that is sending it now (see <see cref="Delivery.ClaimedAt"/>).</summary>
    [JsonStringEnumMemberName("sending")]
    Sending,
    [JsonStringEnumMemberName("sent")]
    Sent,
    [JsonStringEnumMemberName("failed")]
    Failed,
    /// <summary>Never sent, and no longer to be: a later notice of the same alert to the same recipient replaced it.</summary>
    [JsonStringEnumMemberName("superseded")]
    Superseded,
}

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

/// <summary>Alert events that are delivered.</summary>
public static class AlertEvents
{
    public const string Raised = "raised";

    /// <summary>The alert's content changed (a corrected value, a new severity or infusion date), or it holds again.</summary>
    public const string Updated = "updated";

    public const string Retracted = "retracted";

    /// <summary>A critical alert left unacknowledged, sent again to on-call (one per escalation number).</summary>
    public const string Escalated = "escalated";
}

/// <summary>Message ids of alert events: stable, so Service Bus duplicate detection and consumers can dedupe.</summary>
public static class AlertMessageIds
{
    /// <summary>
    /// <c>{alertId}</c> for the first notice of an alert (docs/design.md §5); <c>{alertId}-{event}</c> for a retraction of the first
    /// revision; <c>{alertId}-{event}-{revision}</c> for every later notice; <c>{alertId}-escalated-e{n}</c> for escalation n.
    /// Distinct per notice, the same for a re-send.
    /// </summary>
    public static string For(string alertId, string alertEvent, int revision = 1, int escalation = 0) => (alertEvent, revision) switch
    {
        _ when escalation > 0 => $"{alertId}-{alertEvent}-e{escalation}",
        (AlertEvents.Raised, <= 1) => alertId,
        (_, <= 1) => $"{alertId}-{alertEvent}",
        _ => $"{alertId}-{alertEvent}-{revision}",
    };
}

/// <summary>
/// A channel could not deliver. <see cref="Transient"/> failures (rate limits, 5xx, timeouts, relay down) are retried
/// through the queue after a back-off of at least <see cref="RetryAfter"/>; permanent ones (a refused address, a rejected
/// request) fail the delivery at once.
/// </summary>
public sealed class DeliveryException : Exception
{
    public DeliveryException()
    {
    }

    public DeliveryException(string message)
        : base(message)
    {
    }

    public DeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DeliveryException(string message, bool transient, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Transient = transient;
        RetryAfter = retryAfter;
    }

    /// <summary>True when the same send may succeed later.</summary>
    public bool Transient { get; } = true;

    /// <summary>The provider's own wait (HTTP <c>Retry-After</c> or <c>X-RateLimit-Reset</c>), when it said one.</summary>
    public TimeSpan? RetryAfter { get; }
}

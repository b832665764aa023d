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
}

/// <summary>
/// One delivery of one alert event on one channel (and, for email, one recipient). Keyed in the outbox by
/// <c>{channel}|{event}[|{recipient}]</c>, e.g. <c>lab-alerts|raised</c>.
/// </summary>
public sealed record Delivery
{
    public required string Channel { get; init; }

    /// <summary><c>raised</c> or <c>retracted</c>.</summary>
    public required string Event { get; init; }

    public string? Recipient { get; init; }

    public DeliveryState State { get; init; } = DeliveryState.Pending;

    public int Attempts { get; init; }

    public string? LastError { get; init; }

    public string? ProviderMessageId { get; init; }

    public DateTimeOffset? ClaimedAt { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>After a transient failure: not to be tried again before this time (back-off, or the provider's Retry-After).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    public string Key => Recipient is null ? $"{Channel}|{Event}" : $"{Channel}|{Event}|{Recipient}";
}

/// <summary>Alert events that are delivered.</summary>
public static class AlertEvents
{
    public const string Raised = "raised";
    public const string Retracted = "retracted";
}

/// <summary>Message ids of alert events: stable, so Service Bus duplicate detection and consumers can dedupe.</summary>
public static class AlertMessageIds
{
    /// <summary><c>{alertId}</c> for the raised alert (DESIGN §5), <c>{alertId}-retracted</c> for its retraction.</summary>
    public static string For(string alertId, string alertEvent) =>
        alertEvent == AlertEvents.Raised ? alertId : $"{alertId}-{alertEvent}";
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

namespace CarTLabPipeline.Ports;

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

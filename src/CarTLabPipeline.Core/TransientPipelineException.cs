namespace CarTLabPipeline;

/// <summary>
/// A failure worth retrying (storage unavailable, throttled, an entity changed concurrently too often): the same input
/// may succeed later. A queue-triggered host lets the queue redeliver the message, no sooner than
/// <see cref="RetryAfter"/>; after the queue's last attempt it goes to the <c>-poison</c> queue.
/// </summary>
public sealed class TransientPipelineException : Exception
{
    public TransientPipelineException()
    {
    }

    public TransientPipelineException(string message)
        : base(message)
    {
    }

    public TransientPipelineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TransientPipelineException(string message, TimeSpan retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        RetryAfter = retryAfter;
    }

    /// <summary>
    /// Wait after an entity changed under us on every attempt (ETag races): long enough for the competing writer to
    /// finish, short enough not to hold the queue up.
    /// </summary>
    public static readonly TimeSpan ContentionRetryAfter = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait before the next attempt, when the failure says so (null: the queue's own delay).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Every ETag-checked write of <paramref name="what"/> lost its race <paramref name="attempts"/> times.</summary>
    public static TransientPipelineException Contended(string what, int attempts) =>
        new($"{what} changed concurrently {attempts} times", ContentionRetryAfter);
}

namespace CarTLabPipeline.Operations;

/// <summary>A queue's depth, the age of its oldest message and, for poison queues, the newest reason written.</summary>
/// <param name="Queue">Queue name.</param>
/// <param name="Depth">Approximate number of messages (the service's count).</param>
/// <param name="OldestEnqueuedAt">
/// When the oldest message that can be read now was enqueued; null when the queue is empty or <see cref="AllHeldBack"/>
/// (a queue shows only its visible messages).
/// </param>
/// <param name="NewestReason">
/// For a poison queue: the <c>reason</c> of the newest message among the first ones read (a message the runtime moved
/// after its last attempt has none).
/// </param>
public sealed record QueueStatus(string Queue, int Depth, DateTimeOffset? OldestEnqueuedAt, string? NewestReason)
{
    /// <summary>
    /// The queue holds messages but none can be read now: each is being processed or waits out a delay (a delivery's
    /// retry back-off, a claim's lease). Work that is scheduled, not stuck.
    /// </summary>
    public bool AllHeldBack { get; init; }
}

namespace CarTLabPipeline.Operations;

/// <summary>A queue's depth, the age of its oldest message and, for poison queues, the newest reason written.</summary>
/// <param name="Queue">Queue name.</param>
/// <param name="Depth">Approximate number of messages (the service's count).</param>
/// <param name="OldestEnqueuedAt">When the oldest message was enqueued; null when the queue is empty.</param>
/// <param name="NewestReason">
/// For a poison queue: the <c>reason</c> of the newest message among the first ones read (a message the runtime moved
/// after its last attempt has none).
/// </param>
public sealed record QueueStatus(string Queue, int Depth, DateTimeOffset? OldestEnqueuedAt, string? NewestReason);

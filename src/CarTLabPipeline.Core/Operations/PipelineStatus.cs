using CarTLabPipeline.Ingestion;

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

/// <summary>The last file a lab sent (its drop-zone folder) and when it arrived.</summary>
public sealed record LabFeedStatus(string Lab, string LastFile, DateTimeOffset LastReceivedAt);

/// <summary>A file with rejected rows, or rejected whole, and the counts (no values).</summary>
public sealed record RejectedFileStatus(string File, DateTimeOffset ReceivedAt, IngestionStatus Status, int Stored, int Rejected);

/// <summary>An alert with deliveries that failed for good or still wait.</summary>
public sealed record DeliveryProblem(string AlertId, string RuleId, int Failed, int Waiting, DateTimeOffset? OldestWaitingSince, string? LastError);

/// <summary>What an engineer on call needs to see first: <c>cartlab status</c> and <c>GET /api/status</c>.</summary>
public sealed record PipelineStatus
{
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The trigger queues (work in flight).</summary>
    public required IReadOnlyList<QueueStatus> Queues { get; init; }

    /// <summary>Their <c>-poison</c> queues.</summary>
    public required IReadOnlyList<QueueStatus> Poison { get; init; }

    /// <summary>Per lab folder, the last file received.</summary>
    public required IReadOnlyList<LabFeedStatus> Labs { get; init; }

    /// <summary>Files with rejections received in the last 24 hours, newest first.</summary>
    public required IReadOnlyList<RejectedFileStatus> RejectedLast24Hours { get; init; }

    /// <summary>Files claimed for processing longer than the processing lease (a stuck or dead attempt).</summary>
    public required IReadOnlyList<string> StuckFiles { get; init; }

    /// <summary>Alerts with failed or waiting deliveries.</summary>
    public required IReadOnlyList<DeliveryProblem> Deliveries { get; init; }

    /// <summary>Each thing that needs a person, in words; empty when all is well.</summary>
    public required IReadOnlyList<string> NeedsAttention { get; init; }

    public bool Healthy => NeedsAttention.Count == 0;
}

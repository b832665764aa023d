namespace CarTLabPipeline.Operations;

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

    /// <summary>Open critical alerts nobody acknowledged, soonest escalation first (empty when escalation is off).</summary>
    public IReadOnlyList<PendingEscalation> EscalationsPending { get; init; } = [];

    /// <summary>Each thing that needs a person, in words; empty when all is well.</summary>
    public required IReadOnlyList<string> NeedsAttention { get; init; }

    public bool Healthy => NeedsAttention.Count == 0;
}

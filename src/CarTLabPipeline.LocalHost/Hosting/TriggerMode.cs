namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>Which triggers a <c>cartlab</c> command runs.</summary>
public enum TriggerMode
{
    /// <summary>No triggers: services only (alerts, results, status, drop…).</summary>
    None,

    /// <summary>
    /// The inbound and evaluation queue triggers (enroll, event add, replay, monitor): results are evaluated and alerts
    /// stored; their notifications stay queued for a host that sends (<c>serve</c>, the Functions app).
    /// </summary>
    Evaluation,

    /// <summary>Every queue trigger, notifications included (process, redeliver, demo): files are ingested by the command itself, not by the blob scan.</summary>
    Queues,

    /// <summary>Everything: queue triggers, blob trigger, the reconciliation sweep and the timers (serve).</summary>
    All,
}

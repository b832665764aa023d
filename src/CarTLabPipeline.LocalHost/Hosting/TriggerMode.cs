namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>Which triggers a <c>cartlab</c> command runs.</summary>
public enum TriggerMode
{
    /// <summary>No triggers: services only (enroll, alerts…).</summary>
    None,
    /// <summary>The queue triggers (process, demo): files are ingested by the command itself, not by the blob scan.</summary>
    Queues,
    /// <summary>Everything: queue triggers, blob trigger and the reconciliation sweep (serve).</summary>
    All,
}

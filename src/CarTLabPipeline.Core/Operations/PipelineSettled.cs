namespace CarTLabPipeline.Operations;

/// <summary>How <see cref="PipelineIdleService.WaitUntilSettledAsync"/> ended.</summary>
public enum PipelineSettled
{
    /// <summary>Nothing left to do.</summary>
    Idle,

    /// <summary>Nothing left to do now; deliveries wait out their retry back-off.</summary>
    RetriesScheduled,

    /// <summary>Still working when the timeout passed.</summary>
    TimedOut,
}

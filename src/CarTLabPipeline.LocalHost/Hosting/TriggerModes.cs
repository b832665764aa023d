namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>What a <see cref="TriggerMode"/> implies.</summary>
public static class TriggerModes
{
    /// <summary>True when the session dispatches notifications (email, alert events): it needs a mail transport.</summary>
    public static bool Sends(this TriggerMode mode) => mode is TriggerMode.Queues or TriggerMode.All;

    /// <summary>The work queues the session's triggers empty: what "idle" waits for.</summary>
    public static IReadOnlyList<string> WorkQueues(this TriggerMode mode) => mode switch
    {
        TriggerMode.Evaluation => [PipelineNames.Queues.LabResultsInbound, PipelineNames.Queues.PatientEvaluations],
        TriggerMode.None => [],
        _ => PipelineNames.Queues.Work,
    };
}

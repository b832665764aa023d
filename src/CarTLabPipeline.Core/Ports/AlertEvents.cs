namespace CarTLabPipeline.Ports;

/// <summary>Alert events that are delivered.</summary>
public static class AlertEvents
{
    public const string Raised = "raised";

    /// <summary>The alert's content changed (a corrected value, a new severity or infusion date), or it holds again.</summary>
    public const string Updated = "updated";

    public const string Retracted = "retracted";

    /// <summary>A critical alert left unacknowledged, sent again to on-call (one per escalation number).</summary>
    public const string Escalated = "escalated";
}

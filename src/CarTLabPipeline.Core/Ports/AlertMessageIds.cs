namespace CarTLabPipeline.Ports;

/// <summary>Message ids of alert events: stable, so Service Bus duplicate detection and consumers can dedupe.</summary>
public static class AlertMessageIds
{
    /// <summary>
    /// <c>{alertId}</c> for the first notice of an alert (docs/design.md §5); <c>{alertId}-{event}</c> for a retraction of the first
    /// revision; <c>{alertId}-{event}-{revision}</c> for every later notice; <c>{alertId}-escalated-e{n}</c> for escalation n.
    /// Distinct per notice, the same for a re-send.
    /// </summary>
    public static string For(string alertId, string alertEvent, int revision = 1, int escalation = 0) => (alertEvent, revision) switch
    {
        _ when escalation > 0 => $"{alertId}-{alertEvent}-e{escalation}",
        (AlertEvents.Raised, <= 1) => alertId,
        (_, <= 1) => $"{alertId}-{alertEvent}",
        _ => $"{alertId}-{alertEvent}-{revision}",
    };
}

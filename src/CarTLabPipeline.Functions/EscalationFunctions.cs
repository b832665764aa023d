using CarTLabPipeline.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace CarTLabPipeline.Functions;

/// <summary>The escalation timer (docs/design.md §5a): every minute, critical alerts left unacknowledged go again to on-call.</summary>
public sealed class EscalationFunctions(EscalationService escalation)
{
    [Function("EscalateAlerts")]
    public Task EscalateAlerts([TimerTrigger("15 * * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        escalation.RunAsync(cancellationToken);
}

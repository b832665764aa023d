using CarTLabPipeline.Notifications;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The escalation pass at start-up and then every <see cref="Every"/> (the Functions app runs the same pass as
/// <c>EscalateAlerts</c>): critical alerts left unacknowledged past <c>Escalation__After</c> go again to on-call.
/// </summary>
internal sealed class EscalationTimer(EscalationService escalation, PipelineActivity activity, TimeProvider time, ILogger<EscalationTimer> logger)
    : PeriodicWork(activity, time, logger)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override TimeSpan Interval => Every;

    protected override string Name => "Escalation";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => escalation.RunAsync(cancellationToken);
}

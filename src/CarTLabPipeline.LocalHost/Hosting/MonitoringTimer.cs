using CarTLabPipeline.Evaluation;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The monitoring job of <c>cartlab serve</c>: at start-up and then daily, every enrolled patient is evaluated (the Functions
/// app runs it daily as <c>MonitoringSchedule</c>). The start-up run is also the recovery pass for evaluations a killed host
/// was handling: the WebJobs SDK keeps a message it hands to a function invisible for 10 minutes (hard-coded), so without it
/// an alert whose evaluation died with the host would wait that long. Evaluations are idempotent: nothing is raised or sent twice.
/// </summary>
internal sealed class MonitoringTimer(MonitoringService monitoring, PipelineActivity activity, TimeProvider time, ILogger<MonitoringTimer> logger)
    : PeriodicWork(activity, time, logger)
{
    public static readonly TimeSpan Every = TimeSpan.FromDays(1);

    protected override TimeSpan Interval => Every;

    protected override string Name => "Monitoring (evaluate every enrolled patient)";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => monitoring.RunAsync(cancellationToken);
}

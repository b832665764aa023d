using CarTLabPipeline.Notifications;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The outbox recovery pass at start-up and then every <see cref="Every"/>: after a crash, the notices the dead host had
/// claimed are sent as soon as their lease ends (the Functions app runs the same pass as <c>ResumeNotifications</c>).
/// </summary>
internal sealed class OutboxRecoveryTimer(OutboxRecoveryService recovery, PipelineActivity activity, TimeProvider time, ILogger<OutboxRecoveryTimer> logger)
    : PeriodicWork(activity, time, logger)
{
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    protected override TimeSpan Interval => Every;

    protected override string Name => "Outbox recovery";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => recovery.ResumeAsync(cancellationToken);
}

using CarTLabPipeline.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The outbox recovery pass at start-up and then every <see cref="Interval"/>: after a crash, the notices the dead host
/// had claimed are sent as soon as their lease ends (the same timer the Functions app runs as <c>ResumeNotifications</c>).
/// </summary>
internal sealed partial class OutboxRecoveryTimer(OutboxRecoveryService recovery, PipelineActivity activity, TimeProvider time, ILogger<OutboxRecoveryTimer> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                using var _ = activity.Track();
                await recovery.ResumeAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRecoveryFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Outbox recovery failed; it runs again at the next interval")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception);
}

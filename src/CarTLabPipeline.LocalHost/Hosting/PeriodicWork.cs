using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// Work a host runs at start-up and then every <see cref="Interval"/> (what a Functions timer with <c>RunOnStartup</c>
/// does): tracked as pipeline activity, a failure logged and retried at the next tick, never fatal to the host.
/// </summary>
internal abstract partial class PeriodicWork(PipelineActivity activity, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>Time between two runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The work's name in the log.</summary>
    protected abstract string Name { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                using var _ = activity.Track();
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex, Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "{Work} failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string work);
}

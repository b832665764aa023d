using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// Work a host runs at start-up and then every <see cref="Interval"/> (what a Functions timer with <c>RunOnStartup</c>
/// does), or sooner when the work asks for it (<see cref="DueSoonerAt"/>): tracked as pipeline activity, a failure logged
/// and retried at the next run, never fatal to the host.
/// </summary>
internal abstract partial class PeriodicWork(PipelineActivity activity, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>Time between two runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The work's name in the log.</summary>
    protected abstract string Name { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>When the work wants to run again before the interval has passed (null: at the interval).</summary>
    protected virtual DateTimeOffset? DueSoonerAt => null;

    /// <summary>The shortest wait between two runs, however soon the work asks.</summary>
    private static readonly TimeSpan s_minimumWait = TimeSpan.FromSeconds(1);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
        while (await WaitAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Waits the interval, or until the work is due sooner; false when the host stops.</summary>
    private async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        var wait = Interval;
        if (DueSoonerAt is { } due && due - time.GetUtcNow() < wait)
        {
            wait = due - time.GetUtcNow() is var left && left > s_minimumWait ? left : s_minimumWait;
        }

        try
        {
            await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "{Work} failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string work);
}

using CarTLabPipeline.Ingestion;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The reconciliation sweep at start-up and then every <see cref="Interval"/> (DESIGN §2): the polling blob trigger
/// misses blobs written in the same second as a scan, so this is what guarantees every dropped file is processed.
/// </summary>
internal sealed partial class ReconciliationTimer(ReconciliationService sweep, PipelineActivity activity, TimeProvider time, ILogger<ReconciliationTimer> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                using var _ = activity.Track();
                await sweep.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Reconciliation sweep failed; it runs again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

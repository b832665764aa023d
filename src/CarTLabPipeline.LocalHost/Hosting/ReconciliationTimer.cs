using CarTLabPipeline.Ingestion;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The reconciliation sweep at start-up and then every <see cref="Every"/>: the polling blob trigger misses blobs written
/// in the same second as a scan, so this is what guarantees every dropped file is processed.
/// </summary>
internal sealed class ReconciliationTimer(ReconciliationService sweep, PipelineActivity activity, TimeProvider time, ILogger<ReconciliationTimer> logger)
    : PeriodicWork(activity, time, logger)
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    protected override TimeSpan Interval => Every;

    protected override string Name => "Reconciliation sweep";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => sweep.SweepAsync(cancellationToken);
}

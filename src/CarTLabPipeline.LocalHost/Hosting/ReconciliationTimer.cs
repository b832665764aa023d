using System.Globalization;
using CarTLabPipeline.Ingestion;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The reconciliation sweep at start-up and then every <see cref="Every"/> (<c>Serve__SweepEvery</c> moves it): the
/// polling blob trigger misses blobs written in the same second as a scan, so this is what guarantees every dropped file
/// is processed. It also sweeps as soon as the claim of a file in progress elsewhere goes stale
/// (<see cref="ReconciliationService.NextRecheckAt"/>): after a crash, the restarted host resumes the file then.
/// </summary>
internal sealed class ReconciliationTimer(ReconciliationService sweep, PipelineActivity activity, TimeProvider time, IConfiguration configuration,
    ILogger<ReconciliationTimer> logger)
    : PeriodicWork(activity, time, logger)
{
    /// <summary>The setting that moves the interval (a duration, <c>hh:mm:ss</c>).</summary>
    public const string SweepEverySetting = "Serve:SweepEvery";

    /// <summary>Default interval: what the Functions app's timer does every 15 minutes, every 30 s locally.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    protected override TimeSpan Interval { get; } = ReadInterval(configuration[SweepEverySetting]);

    protected override string Name => "Reconciliation sweep";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => sweep.SweepAsync(cancellationToken);

    /// <summary>A file a crashed host left half done: swept again when its claim goes stale, not at the next interval.</summary>
    protected override DateTimeOffset? DueSoonerAt => sweep.NextRecheckAt;

    private static TimeSpan ReadInterval(string? value) =>
        value is null ? Every
        : TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var every) && every >= TimeSpan.FromSeconds(1) && every <= TimeSpan.FromHours(1) ? every
        : throw new PermanentPipelineException($"Serve__SweepEvery must be a duration between 00:00:01 and 01:00:00, not '{value}'");
}

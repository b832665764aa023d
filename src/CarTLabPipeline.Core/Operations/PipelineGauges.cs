using System.Diagnostics.Metrics;

namespace CarTLabPipeline.Operations;

/// <summary>
/// The pipeline's own gauges, published as OpenTelemetry metrics (meter <see cref="MeterName"/>) from the last
/// <see cref="PipelineStatus"/> a timer took: per queue its depth and the age of its oldest message, per poison queue its
/// depth, deliveries failed for good, files stuck in processing, and per lab the minutes since its last file. The
/// deployment's alert rules fire on them (infra/modules/alarms.bicep). Ids and counts only.
/// </summary>
public sealed class PipelineGauges : IDisposable
{
    public const string MeterName = "CarTLabPipeline";

    private readonly Meter _meter;
    private readonly TimeProvider _time;
    private volatile PipelineStatus? _last;

    public PipelineGauges(IMeterFactory meters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _time = time;
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("cartlab.queue.depth", () => Each(s => s.Queues, q => new Measurement<int>(q.Depth, Tag("queue", q.Queue))), "{message}", "Messages in a trigger queue");
        _meter.CreateObservableGauge("cartlab.queue.oldest_age", () => Each(s => s.Queues, (s, q) => new Measurement<double>(q.OldestEnqueuedAt is { } t ? (s.AsOf - t).TotalSeconds : 0, Tag("queue", q.Queue))), "s", "Age of the oldest message in a trigger queue");
        _meter.CreateObservableGauge("cartlab.poison.depth", () => Each(s => s.Poison, q => new Measurement<int>(q.Depth, Tag("queue", q.Queue))), "{message}", "Messages in a poison queue");
        _meter.CreateObservableGauge("cartlab.deliveries.failed", () => One(s => s.Deliveries.Count(d => d.Failed > 0)), "{alert}", "Alerts with a delivery that failed for good");
        _meter.CreateObservableGauge("cartlab.files.stuck", () => One(s => s.StuckFiles.Count), "{file}", "Files in processing longer than the lease");
        _meter.CreateObservableGauge("cartlab.lab.since_last_file", () => Each(s => s.Labs, l => new Measurement<double>((_time.GetUtcNow() - l.LastReceivedAt).TotalMinutes, Tag("lab", l.Lab))), "min", "Minutes since a lab's last file");
    }

    /// <summary>The status the gauges report until the next update.</summary>
    public PipelineStatus? Last => _last;

    public void Update(PipelineStatus status) => _last = status ?? throw new ArgumentNullException(nameof(status));

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private IEnumerable<Measurement<T>> Each<TItem, T>(Func<PipelineStatus, IEnumerable<TItem>> items, Func<TItem, Measurement<T>> measure)
        where T : struct =>
        _last is { } s ? items(s).Select(measure).ToList() : [];

    private IEnumerable<Measurement<T>> Each<TItem, T>(Func<PipelineStatus, IEnumerable<TItem>> items, Func<PipelineStatus, TItem, Measurement<T>> measure)
        where T : struct =>
        _last is { } s ? items(s).Select(i => measure(s, i)).ToList() : [];

    private IEnumerable<Measurement<int>> One(Func<PipelineStatus, int> value) =>
        _last is { } s ? [new Measurement<int>(value(s))] : [];
}

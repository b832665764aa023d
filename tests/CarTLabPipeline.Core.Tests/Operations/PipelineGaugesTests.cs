using System.Diagnostics.Metrics;
using CarTLabPipeline.Operations;
using Microsoft.Extensions.Time.Testing;

namespace CarTLabPipeline.Core.Tests.Operations;

public class PipelineGaugesTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BeforeTheFirstStatus_NothingIsReported()
    {
        using var gauges = new PipelineGauges(new TestMeterFactory(), new FakeTimeProvider(s_now));

        Assert.Empty(Collect());
    }

    [Fact]
    public void Status_BecomesGauges_PerQueueLabAndCount()
    {
        var time = new FakeTimeProvider(s_now);
        using var gauges = new PipelineGauges(new TestMeterFactory(), time);
        gauges.Update(new PipelineStatus
        {
            AsOf = s_now,
            Queues = [new QueueStatus("patient-evaluations", 3, s_now.AddMinutes(-20), null)],
            Poison = [new QueueStatus("patient-evaluations-poison", 2, s_now.AddHours(-1), "bad json")],
            Labs = [new LabFeedStatus("hospital-a", "hospital-a/x.csv", s_now.AddHours(-26))],
            RejectedLast24Hours = [],
            StuckFiles = ["hospital-a/y.csv"],
            Deliveries = [new DeliveryProblem("a1", "igg.low", 1, 0, null, "550"), new DeliveryProblem("a2", "igg.low", 0, 1, s_now, null)],
            NeedsAttention = ["x"],
        });
        time.Advance(TimeSpan.FromMinutes(10));

        var measured = Collect();

        Assert.Equal(3, measured[("cartlab.queue.depth", "patient-evaluations")]);
        Assert.Equal(1200, measured[("cartlab.queue.oldest_age", "patient-evaluations")]);
        Assert.Equal(2, measured[("cartlab.poison.depth", "patient-evaluations-poison")]);
        Assert.Equal(1, measured[("cartlab.deliveries.failed", "")]);
        Assert.Equal(1, measured[("cartlab.files.stuck", "")]);
        Assert.Equal(26 * 60 + 10, measured[("cartlab.lab.since_last_file", "hospital-a")]); // counted to now, not to the status
    }

    private static Dictionary<(string Name, string Tag), double> Collect()
    {
        var measured = new Dictionary<(string, string), double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PipelineGauges.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            measured[(instrument.Name, tags.Length == 0 ? string.Empty : tags[0].Value?.ToString() ?? string.Empty)] = value;
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}

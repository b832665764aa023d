using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>
/// An <see cref="ITrendChartRenderer"/> that draws nothing: it keeps the charts it is asked for and returns a valid
/// 1×1 PNG. Thread-safe.
/// </summary>
public sealed class InMemoryTrendChartRenderer : ITrendChartRenderer
{
    /// <summary>A 1×1 transparent PNG.</summary>
    public static ReadOnlySpan<byte> Png =>
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
        0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
        0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
        0x42, 0x60, 0x82,
    ];

    private readonly Lock _lock = new();
    private readonly List<TrendChart> _charts = [];

    /// <summary>Every chart drawn, in order (a stacked timeline adds each of its panels).</summary>
    public IReadOnlyList<TrendChart> Charts
    {
        get
        {
            lock (_lock)
            {
                return [.. _charts];
            }
        }
    }

    public byte[] RenderPng(TrendChart chart, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(chart);
        lock (_lock)
        {
            _charts.Add(chart);
        }

        return Png.ToArray();
    }

    public byte[] RenderPng(IReadOnlyList<TrendChart> charts, int width, int panelHeight)
    {
        ArgumentNullException.ThrowIfNull(charts);
        lock (_lock)
        {
            _charts.AddRange(charts);
        }

        return Png.ToArray();
    }
}

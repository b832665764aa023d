using System.Buffers.Binary;
using CarTLabPipeline.Adapters.Charts;
using CarTLabPipeline.Notifications;

namespace CarTLabPipeline.Adapters.Tests.Notifications;

public class TrendChartRendererTests
{
    private static readonly TrendChart s_igg = new()
    {
        Title = "IgG",
        Unit = "mg/dL",
        Points = [new(-5, 452, false, false), new(28, 280, false, true), new(150, 270, false, false)],
        Threshold = new(300, "300 mg/dL (rule threshold)"),
    };

    [Fact]
    public void Render_GivesAPngOfTheAskedSize()
    {
        var png = new ScottPlotTrendChartRenderer().RenderPng(s_igg, 720, 340);

        Assert.Equal((720, 340), Size(png));
    }

    [Fact]
    public void Timeline_StacksOnePanelPerChart()
    {
        var mrd = new TrendChart { Title = "MRD", Unit = "%", LogScale = true, Points = [new(-6, 2.1, false, false), new(28, 0.01, true, false)] };

        var png = new ScottPlotTrendChartRenderer().RenderPng([s_igg, mrd], 900, 260);

        Assert.Equal((900, 520), Size(png));
    }

    [Fact]
    public void Render_DrawsText_WithTheShippedFont()
    {
        // Same chart, with and without labels: text must change the image (a host without fonts draws none, silently).
        var labelled = new ScottPlotTrendChartRenderer().RenderPng(s_igg, 720, 340);
        var other = new ScottPlotTrendChartRenderer().RenderPng(s_igg with { Title = "IgG — a much longer title to draw" }, 720, 340);

        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "fonts", "DejaVuSans.ttf")));
        Assert.NotEqual(labelled, other);
    }

    [Fact]
    public void Render_MarksTreatmentEvents_AndTheirLabelsChangeTheImage()
    {
        var withEvents = s_igg with
        {
            Events = [new(-4, "LD"), new(0, "infusion"), new(2, "CRS G2"), new(5, "ICANS G1"), new(30, "Ig start (IVIG)"), new(120, "prophylaxis stop")],
        };

        var plain = new ScottPlotTrendChartRenderer().RenderPng(s_igg, 900, 260);
        var marked = new ScottPlotTrendChartRenderer().RenderPng(withEvents, 900, 260);
        if (Environment.GetEnvironmentVariable("CARTLAB_CHART_OUT") is { Length: > 0 } folder)
        {
            File.WriteAllBytes(Path.Combine(folder, "events.png"), marked); // to look at it
        }

        Assert.Equal((900, 260), Size(marked));
        Assert.NotEqual(plain, marked);
    }

    [Fact]
    public void CensoredValues_AreOpenDownwardTriangles_NeverFilledDots()
    {
        TrendPoint[] points = [new(-6, 2.1, false, false), new(28, 0.01, true, false), new(91, 0.05, false, false), new(120, 0.01, true, true)];

        var groups = ScottPlotTrendChartRenderer.MarkerGroups(points);

        Assert.All(groups.Where(g => g.Points.Any(p => p.BelowDetection)), g => Assert.Equal(ScottPlot.MarkerShape.OpenTriangleDown, g.Shape));
        Assert.All(groups.Where(g => g.Shape == ScottPlot.MarkerShape.FilledCircle), g => Assert.DoesNotContain(g.Points, p => p.BelowDetection));
        Assert.Equal(points.Length, groups.Sum(g => g.Points.Count)); // every point drawn once
    }

    private static (int Width, int Height) Size(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }
}

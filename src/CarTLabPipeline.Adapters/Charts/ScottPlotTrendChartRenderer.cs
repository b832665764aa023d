using System.Globalization;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace CarTLabPipeline.Adapters.Charts;

/// <summary>
/// Draws <see cref="TrendChart"/>s with ScottPlot: values against days since infusion, the rule's threshold as a dashed
/// line, values below detection as open circles, and the results that raised the alert as large red dots. MRD is drawn on
/// a log scale (decades labelled in %). Uses the DejaVu Sans shipped in <c>fonts/</c>: a host without fonts would
/// otherwise draw no text at all.
/// </summary>
public sealed class ScottPlotTrendChartRenderer : ITrendChartRenderer
{
    private static readonly Lock s_fontLock = new();
    private static bool s_fontsLoaded;

    private const string FontName = "DejaVu Sans";

    private static readonly Color s_line = Color.FromHex("#344054");
    private static readonly Color s_trigger = Color.FromHex("#d92d20");
    private static readonly Color s_threshold = Color.FromHex("#b54708");

    public byte[] RenderPng(TrendChart chart, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(chart);
        EnsureFonts();
        using var plot = Build(chart);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    public byte[] RenderPng(IReadOnlyList<TrendChart> charts, int width, int panelHeight)
    {
        ArgumentNullException.ThrowIfNull(charts);
        if (charts.Count == 1)
        {
            return RenderPng(charts[0], width, panelHeight);
        }

        EnsureFonts();
        var plots = charts.Select(Build).ToList();
        try
        {
            var multiplot = new Multiplot(plots[0]);
            plots.Skip(1).ToList().ForEach(multiplot.Subplots.Add);
            var height = panelHeight * charts.Count;
            using var surface = SKSurface.Create(new SKImageInfo(width, height));
            surface.Canvas.Clear(SKColors.White);
            multiplot.Render(surface.Canvas, new PixelRect(0, width, height, 0));
            using var snapshot = surface.Snapshot();
            using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
            return png.ToArray();
        }
        finally
        {
            plots.ForEach(p => p.Dispose());
        }
    }

    private static Plot Build(TrendChart chart)
    {
        var plot = new Plot();
        var points = chart.Points;
        double Y(double v) => chart.LogScale ? Math.Log10(Math.Max(v, 1e-6)) : v;

        var xs = points.Select(p => (double)p.Day).ToArray();
        var ys = points.Select(p => Y(p.Value)).ToArray();
        var line = plot.Add.Scatter(xs, ys, s_line);
        line.LineWidth = 2;
        line.MarkerSize = 7;
        line.LegendText = chart.Title;

        var below = points.Where(p => p.BelowDetection).ToList();
        if (below.Count > 0)
        {
            var open = plot.Add.Markers(below.Select(p => (double)p.Day).ToArray(), below.Select(p => Y(p.Value)).ToArray(),
                MarkerShape.OpenCircle, 11, s_line);
            open.LegendText = "below detection (upper bound)";
        }

        var triggers = points.Where(p => p.IsTrigger).ToList();
        if (triggers.Count > 0)
        {
            var marked = plot.Add.Markers(triggers.Select(p => (double)p.Day).ToArray(), triggers.Select(p => Y(p.Value)).ToArray(),
                MarkerShape.FilledCircle, 13, s_trigger);
            marked.LegendText = "this alert";
        }

        if (chart.Threshold is { } threshold)
        {
            var h = plot.Add.HorizontalLine(Y(threshold.Value), 1.5f, s_threshold, LinePattern.Dashed);
            h.LegendText = threshold.Label;
        }

        plot.Title(chart.Title, size: 15);
        plot.XLabel("Days since infusion", size: 12);
        plot.YLabel(chart.Unit, size: 12);
        FrameLimits(plot, chart, Y);
        if (chart.LogScale)
        {
            plot.Axes.Left.TickGenerator = LogTicks(plot.Axes.GetLimits().Bottom, plot.Axes.GetLimits().Top);
        }

        plot.ShowLegend(Edge.Bottom);
        plot.Legend.FontSize = 11;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Font.Set(FontName);
        return plot;
    }

    /// <summary>X from day 0 (or the first point) to the last point plus margin; Y includes the threshold and zero on linear scales.</summary>
    private static void FrameLimits(Plot plot, TrendChart chart, Func<double, double> y)
    {
        var days = chart.Points.Select(p => (double)p.Day).ToList();
        var minX = Math.Min(0, days.Min());
        var maxX = Math.Max(days.Max(), minX + 7);
        var margin = Math.Max(2, (maxX - minX) * 0.04);

        var values = chart.Points.Select(p => y(p.Value)).ToList();
        if (chart.Threshold is { } t)
        {
            values.Add(y(t.Value));
        }

        var minY = values.Min();
        var maxY = values.Max();
        if (chart.LogScale)
        {
            minY = Math.Floor(minY) - 0.3;
            maxY = Math.Ceiling(maxY) + 0.3;
        }
        else
        {
            minY = Math.Min(0, minY);
            maxY += Math.Max((maxY - minY) * 0.15, 1e-3);
        }

        plot.Axes.SetLimits(minX - margin, maxX + margin, minY, maxY);
    }

    /// <summary>One tick per decade, labelled as clinicians write MRD: 0.001 %, 0.01 %, 0.1 %, 1 %.</summary>
    private static NumericManual LogTicks(double bottom, double top)
    {
        var ticks = new NumericManual();
        for (var e = (int)Math.Ceiling(bottom); e <= (int)Math.Floor(top); e++)
        {
            var value = Math.Pow(10, e);
            ticks.AddMajor(e, value.ToString(value >= 1 ? "0" : "0.######", CultureInfo.InvariantCulture) + " %");
        }

        return ticks;
    }

    private static void EnsureFonts()
    {
        lock (s_fontLock)
        {
            if (s_fontsLoaded)
            {
                return;
            }

            var folder = Path.Combine(AppContext.BaseDirectory, "fonts");
            var regular = Path.Combine(folder, "DejaVuSans.ttf");
            if (File.Exists(regular))
            {
                Fonts.AddFontFile(FontName, regular, bold: false, italic: false);
                Fonts.AddFontFile(FontName, Path.Combine(folder, "DejaVuSans-Bold.ttf"), bold: true, italic: false);
                Fonts.Default = FontName;
            }

            s_fontsLoaded = true;
        }
    }
}

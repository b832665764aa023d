using System.Globalization;
using CarTLabPipeline.Notifications;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;

namespace CarTLabPipeline.Adapters.Charts;

/// <summary>
/// Draws <see cref="TrendChart"/>s with ScottPlot: values against days since infusion, the rule's threshold as a dashed
/// line, values below detection as open circles, and the results that raised the alert as large red dots. MRD is drawn on
/// a log scale (decades labelled in %). Treatment events are dotted vertical lines with their labels in rows above the
/// data (a label moves to the next row rather than overlap its neighbour; events of one day share a label). Uses the DejaVu Sans shipped in <c>fonts/</c>: a host without fonts would
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
    private static readonly Color s_event = Color.FromHex("#6941c6");

    /// <summary>Event label font size (px) and the width of one character at it, for the overlap check.</summary>
    private const float EventFontSize = 10;
    private const double EventCharWidth = 6.2;

    public byte[] RenderPng(TrendChart chart, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(chart);
        EnsureFonts();
        using var plot = Build(chart, width, height);
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
        var plots = charts.Select(c => Build(c, width, panelHeight)).ToList();
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

    private static Plot Build(TrendChart chart, int width, int height)
    {
        var plot = new Plot();
        var points = chart.Points;
        double Y(double v) => chart.LogScale ? Math.Log10(Math.Max(v, 1e-6)) : v;

        var xs = points.Select(p => (double)p.Day).ToArray();
        var ys = points.Select(p => Y(p.Value)).ToArray();
        var line = plot.Add.Scatter(xs, ys, s_line);
        line.LineWidth = 2;
        line.MarkerSize = 0; // the markers below say which values are measured and which are censored
        line.LegendText = chart.Title;

        foreach (var (shape, size, colour, legend, group) in MarkerGroups(points))
        {
            var markers = plot.Add.Markers(group.Select(p => (double)p.Day).ToArray(), group.Select(p => Y(p.Value)).ToArray(), shape, size,
                colour == MarkerColour.Trigger ? s_trigger : s_line);
            markers.LegendText = legend ?? string.Empty;
        }

        if (chart.Threshold is { } threshold)
        {
            var h = plot.Add.HorizontalLine(Y(threshold.Value), 1.5f, s_threshold, LinePattern.Dashed);
            h.LegendText = threshold.Label;
        }

        plot.Title(chart.Title, size: 15);
        plot.XLabel(chart.DayZeroLabel == "infusion" ? "Days since infusion" : $"Days since {chart.DayZeroLabel}", size: 12);
        plot.YLabel(chart.Unit, size: 12);
        var rows = EventRows(chart, width);
        FrameLimits(plot, chart, Y, rows.Count == 0 ? 0 : rows.Max(r => r.Row) + 1, height);
        AddEvents(plot, rows);
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

    /// <summary>Colour of a marker group: the series' or the alert's.</summary>
    internal enum MarkerColour
    {
        Series,
        Trigger,
    }

    /// <summary>
    /// How each point is marked: a measured value as a filled circle; a censored one (below the detection limit, "&lt;x",
    /// "not detected" at the assay's sensitivity) as an open downward triangle at its upper bound, never as a filled dot
    /// that reads as measured; the alert's own results larger, in the alert colour, with the same shapes.
    /// </summary>
    internal static IReadOnlyList<(MarkerShape Shape, float Size, MarkerColour Colour, string? Legend, IReadOnlyList<TrendPoint> Points)> MarkerGroups(
        IReadOnlyList<TrendPoint> points)
    {
        var groups = new List<(MarkerShape, float, MarkerColour, string?, IReadOnlyList<TrendPoint>)>();
        void Add(MarkerShape shape, float size, MarkerColour colour, string? legend, Func<TrendPoint, bool> which)
        {
            var group = points.Where(which).ToList();
            if (group.Count > 0)
            {
                groups.Add((shape, size, colour, legend, group));
            }
        }

        Add(MarkerShape.FilledCircle, 7, MarkerColour.Series, null, p => !p.BelowDetection && !p.IsTrigger);
        Add(MarkerShape.OpenTriangleDown, 11, MarkerColour.Series, "below detection (upper bound)", p => p.BelowDetection && !p.IsTrigger);
        Add(MarkerShape.FilledCircle, 13, MarkerColour.Trigger, "this alert", p => !p.BelowDetection && p.IsTrigger);
        Add(MarkerShape.OpenTriangleDown, 15, MarkerColour.Trigger, "this alert (below detection)", p => p.BelowDetection && p.IsTrigger);
        return groups;
    }

    /// <summary>The x range drawn: day 0 (or the first point) to the last point, plus a margin each side.</summary>
    private static (double Min, double Max) XRange(TrendChart chart)
    {
        var days = chart.Points.Select(p => (double)p.Day).ToList();
        var minX = Math.Min(0, days.Min());
        var maxX = Math.Max(days.Max(), minX + 7);
        var margin = Math.Max(2, (maxX - minX) * 0.04);
        return (minX - margin, maxX + margin);
    }

    /// <summary>
    /// One label per event day, each in the first row where it does not overlap the label before it (pixel widths estimated
    /// from the plot width): a CRS on day +2 and an ICANS on day +5 go on two rows, not on top of each other.
    /// </summary>
    private static List<(double Day, string Label, int Row, bool Left)> EventRows(TrendChart chart, int width)
    {
        var rows = new List<(double Day, string Label, int Row, bool Left)>();
        if (chart.Events.Count == 0)
        {
            return rows;
        }

        var (min, max) = XRange(chart);
        var dataWidth = Math.Max(width - 110, 100.0); // the data area: the width less the axis and its labels
        var pixelsPerDay = dataWidth / (max - min);
        var taken = new List<List<(double From, double To)>>();
        foreach (var day in chart.Events.GroupBy(e => e.Day).OrderBy(g => g.Key))
        {
            var label = string.Join(" · ", day.Select(e => e.Label).Distinct(StringComparer.Ordinal));
            var at = (day.Key - min) * pixelsPerDay;
            var size = 6 + (label.Length * EventCharWidth);
            var left = at + size > dataWidth; // would run off the right edge: written to the left of its line
            var (from, to) = left ? (at - size, at) : (at, at + size);
            var row = taken.FindIndex(r => r.All(t => to + 8 < t.From || from > t.To + 8)); // 8 px between two labels of a row
            if (row < 0)
            {
                row = taken.Count;
                taken.Add([]);
            }

            taken[row].Add((from, to));
            rows.Add((day.Key, label, row, left));
        }

        return rows;
    }

    /// <summary>Dotted vertical lines at the events' days; labels at the top of the frame, row by row.</summary>
    private static void AddEvents(Plot plot, List<(double Day, string Label, int Row, bool Left)> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var limits = plot.Axes.GetLimits();
        foreach (var (day, _, _, _) in rows)
        {
            var line = plot.Add.VerticalLine(day, 1, s_event.WithAlpha(0.7), LinePattern.Dotted);
            line.ExcludeFromLegend = true;
        }

        // Labels after every line, on an opaque background: no line crosses a label.
        foreach (var (day, label, row, left) in rows)
        {
            var text = plot.Add.Text(label, day, limits.Top);
            text.LabelFontSize = EventFontSize;
            text.LabelFontColor = s_event;
            text.LabelAlignment = left ? Alignment.UpperRight : Alignment.UpperLeft;
            text.LabelBackgroundColor = Colors.White;
            text.OffsetX = left ? -2 : 2;
            text.OffsetY = 2 + (row * (EventFontSize + 5));
        }
    }

    /// <summary>
    /// X from day 0 (or the first point) to the last point plus margin; Y includes the threshold and zero on linear scales,
    /// and headroom for <paramref name="eventRows"/> rows of event labels above the data.
    /// </summary>
    private static void FrameLimits(Plot plot, TrendChart chart, Func<double, double> y, int eventRows, int height)
    {
        var (minX, maxX) = XRange(chart);
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

        if (eventRows > 0)
        {
            // The data area is the panel less title, axis labels and legend (~120 px); each label row takes ~15 px of it.
            var dataPixels = Math.Max(height - 120, 60);
            var rowsPixels = Math.Min(eventRows * (EventFontSize + 5) + 6, dataPixels / 2);
            maxY += (maxY - minY) * rowsPixels / (dataPixels - rowsPixels);
        }

        plot.Axes.SetLimits(minX, maxX, minY, maxY);
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

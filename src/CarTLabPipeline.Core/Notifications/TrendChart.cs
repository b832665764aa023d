using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.Notifications;

/// <summary>What a trend chart shows: one analyte against days since infusion, with a threshold and marked points.</summary>
public sealed record TrendChart
{
    public required string Title { get; init; }

    /// <summary>Unit as clinicians write it (axis label).</summary>
    public required string Unit { get; init; }

    /// <summary>Draw the value axis on a log scale (MRD spans several decades).</summary>
    public bool LogScale { get; init; }

    public required IReadOnlyList<TrendPoint> Points { get; init; }

    public TrendThreshold? Threshold { get; init; }
}

/// <summary>One result on the chart. <see cref="BelowDetection"/>: the value is an upper bound (not detected / "&lt;").</summary>
public sealed record TrendPoint(int Day, double Value, bool BelowDetection, bool IsTrigger);

/// <summary>The line the rule compares against, with its label (e.g. <c>300 mg/dL: replacement threshold</c>).</summary>
public sealed record TrendThreshold(double Value, string Label);

/// <summary>
/// Builds the chart of an alert (the analyte of its first triggering result, every evaluable value of the patient's
/// history, the line its rule declares in <see cref="IRule.Thresholds"/>) or of a patient's analyte for the timeline (the
/// line of the rule that marks its threshold for the timeline).
/// </summary>
public static class TrendCharts
{
    /// <summary>The chart for <paramref name="alert"/>, or null when it rests on no result (ops alerts, overdue monitoring).</summary>
    public static TrendChart? ForAlert(Alert alert, Enrollment enrollment, IEnumerable<LabResult> history, IEnumerable<IRule> rules)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(rules);
        var trigger = alert.Evidence.FirstOrDefault(e => e.Role == EvidenceRoles.Trigger);
        if (trigger is null || !AnalyteCatalog.TryResolve(trigger.Analyte, out var info))
        {
            return null;
        }

        var triggers = alert.Evidence.Where(e => e.Role == EvidenceRoles.Trigger).Select(e => e.ResultId).ToHashSet(StringComparer.Ordinal);
        var rule = rules.FirstOrDefault(r => r.Id == alert.RuleId);
        return ForAnalyte(info.Analyte, enrollment, history, rule is null ? null : ThresholdFor(rule, info.Analyte), triggers);
    }

    /// <summary>The analytes of a patient's timeline, in the order a haematologist reads them.</summary>
    private static readonly Analyte[] s_timeline =
        [Analyte.Mrd, Analyte.Cd19Abs, Analyte.Cd19Pct, Analyte.IgG, Analyte.Cd4Abs, Analyte.Anc, Analyte.Plt, Analyte.Hgb];

    /// <summary>
    /// A patient's timeline: one chart per followed analyte that has values (optionally only <paramref name="only"/>), each
    /// with the threshold a rule marks for the timeline.
    /// </summary>
    public static IReadOnlyList<TrendChart> ForPatient(Enrollment enrollment, IReadOnlyCollection<LabResult> history, IEnumerable<IRule> rules, Analyte? only = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var lines = rules.SelectMany(r => r.Thresholds).Where(t => t.Timeline).ToList();
        return s_timeline
            .Where(a => only is null || a == only)
            .Select(a => ForAnalyte(a, enrollment, history, lines.Where(t => t.Analyte == a).Select(Line).FirstOrDefault()))
            .OfType<TrendChart>()
            .ToList();
    }

    /// <summary>Every evaluable value of one analyte, in time order; null when there is none.</summary>
    public static TrendChart? ForAnalyte(Analyte analyte, Enrollment enrollment, IEnumerable<LabResult> history, TrendThreshold? threshold,
        IReadOnlySet<string>? highlighted = null)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        ArgumentNullException.ThrowIfNull(history);
        var info = AnalyteCatalog.Get(analyte);
        var mrd = analyte == Analyte.Mrd;
        var points = RuleContext.TimeOrder(history.Where(r => r.Analyte == analyte && r.IsEvaluable))
            .Select(r => Point(r, enrollment, mrd, highlighted))
            .OfType<TrendPoint>()
            .ToList();
        if (points.Count == 0)
        {
            return null;
        }

        return new TrendChart
        {
            Title = info.DisplayName,
            Unit = info.DisplayUnit,
            LogScale = mrd,
            Points = points,
            Threshold = threshold,
        };
    }

    /// <summary>The line <paramref name="rule"/> compares <paramref name="analyte"/> with, in the analyte's canonical unit.</summary>
    public static TrendThreshold? ThresholdFor(IRule rule, Analyte analyte)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Thresholds.Where(t => t.Analyte == analyte).Select(Line).FirstOrDefault();
    }

    private static TrendThreshold Line(RuleThreshold t) => new(t.Value, t.Label);

    private static TrendPoint? Point(LabResult r, Enrollment enrollment, bool mrd, IReadOnlySet<string>? highlighted)
    {
        var day = enrollment.DayPostInfusion(r);
        var trigger = highlighted?.Contains(r.ResultId) == true;
        if (r.Value is { } value)
        {
            var below = r.Comparator is "<" or "<=" || r.Detected == false;
            return new TrendPoint(day, (double)value, below, trigger);
        }

        // "Not detected" without a number: draw it at the assay's sensitivity (an upper bound) when known.
        if (mrd && r.Detected == false && r.Sensitivity is { } sensitivity)
        {
            return new TrendPoint(day, (double)sensitivity * 100, BelowDetection: true, trigger);
        }

        return null;
    }
}

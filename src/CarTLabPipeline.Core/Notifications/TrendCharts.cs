using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.Notifications;

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
        // The alert's days count from its follow-up's day 0: so do the chart's.
        var followUp = RuleContext.FollowUps(enrollment).LastOrDefault(f => f.DayZero == alert.InfusionDate);
        return ForAnalyte(info.Analyte, enrollment, history, rule is null ? null : ThresholdFor(rule, info.Analyte), triggers, followUp);
    }

    /// <summary>
    /// The record as it stood for <paramref name="alert"/>'s current revision: only versions received by the time the
    /// revision was stored, and only results collected up to the alert's (last) triggering result. A chart drawn from it
    /// shows what the alert was judged on, not results that arrived or were collected after it.
    /// </summary>
    public static IReadOnlyList<LabResult> AsOfAlert(Alert alert, IEnumerable<LabResult> versions)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(versions);
        var stored = alert.Revision > 1 && alert.UpdatedAt is { } updated ? updated : alert.CreatedAt;
        var triggers = alert.Evidence.Where(e => e.Role == EvidenceRoles.Trigger).ToList();
        var collectedBy = triggers.Count == 0 ? alert.ObservedAt : triggers.Max(e => e.CollectedAt);
        return LabRecord.Resolve(versions.Where(v => v.ReceivedAt <= stored)).Current
            .Where(r => r.CollectedAt <= collectedBy)
            .ToList();
    }

    /// <summary>The analytes of a patient's timeline, in the order a haematologist reads them.</summary>
    private static readonly Analyte[] s_timeline =
        [Analyte.Mrd, Analyte.Cd19Abs, Analyte.Cd19Pct, Analyte.IgG, Analyte.Cd4Abs, Analyte.Anc, Analyte.Plt, Analyte.Hgb];

    /// <summary>The analytes of a patient's timeline, in the order a haematologist reads them.</summary>
    public static IReadOnlyList<Analyte> TimelineAnalytes => s_timeline;

    /// <summary>The threshold a rule marks for the timeline of <paramref name="analyte"/>, if any.</summary>
    public static TrendThreshold? TimelineThreshold(Analyte analyte, IEnumerable<IRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return rules.SelectMany(r => r.Thresholds).Where(t => t.Timeline && t.Analyte == analyte).Select(Line).FirstOrDefault();
    }

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

    /// <summary>
    /// Every evaluable value of one analyte, in time order, by day of <paramref name="followUp"/> (default: the current
    /// one), with the treatment events within the plotted days; null when there is no value.
    /// </summary>
    public static TrendChart? ForAnalyte(Analyte analyte, Enrollment enrollment, IEnumerable<LabResult> history, TrendThreshold? threshold,
        IReadOnlySet<string>? highlighted = null, FollowUp? followUp = null)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        ArgumentNullException.ThrowIfNull(history);
        var info = AnalyteCatalog.Get(analyte);
        var mrd = analyte == Analyte.Mrd;
        var dayZero = (followUp ?? RuleContext.FollowUps(enrollment)[^1]).DayZero;
        var points = RuleContext.TimeOrder(history.Where(r => r.Analyte == analyte && r.IsEvaluable))
            .Select(r => Point(r, enrollment, dayZero, mrd, highlighted))
            .OfType<TrendPoint>()
            .ToList();
        if (points.Count == 0)
        {
            return null;
        }

        var (first, last) = (Math.Min(0, points.Min(p => p.Day)), points.Max(p => p.Day));
        // One marker per day and kind: two prophylaxis stops of one day read "prophylaxis stop (acyclovir, cotrimoxazole)".
        var events = enrollment.Events
            .Select(e => (Day: e.Date.DayNumber - dayZero.DayNumber, Event: e))
            .Where(e => e.Day >= first && e.Day <= last)
            .GroupBy(e => (e.Day, e.Event.Kind))
            .Select(g => new TrendEvent(g.Key.Day, g.Count() == 1 || g.Any(e => string.IsNullOrWhiteSpace(e.Event.Detail))
                ? string.Join(" · ", g.Select(e => e.Event.Label).Distinct(StringComparer.Ordinal))
                : (g.First().Event with { Detail = string.Join(", ", g.Select(e => e.Event.Detail!.Trim()).Order(StringComparer.Ordinal)) }).Label))
            .OrderBy(e => e.Day)
            .ToList();

        return new TrendChart
        {
            Title = info.DisplayName,
            Unit = info.DisplayUnit,
            LogScale = mrd,
            Points = points,
            Threshold = threshold,
            Events = events,
            DayZeroLabel = (followUp ?? RuleContext.FollowUps(enrollment)[^1]).StartedBy?.Label ?? "infusion",
        };
    }

    /// <summary>The line <paramref name="rule"/> compares <paramref name="analyte"/> with, in the analyte's canonical unit.</summary>
    public static TrendThreshold? ThresholdFor(IRule rule, Analyte analyte)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Thresholds.Where(t => t.Analyte == analyte).Select(Line).FirstOrDefault();
    }

    private static TrendThreshold Line(RuleThreshold t) => new(t.Value, t.Label);

    /// <summary>
    /// One result as a chart point, by day since <paramref name="dayZero"/>: a "&lt;" or "not detected" value is an upper
    /// bound (<see cref="TrendPoint.BelowDetection"/>); an MRD "not detected" without a number sits at the assay's
    /// sensitivity. Null when there is nothing to draw.
    /// </summary>
    internal static TrendPoint? Point(LabResult r, Enrollment enrollment, DateOnly dayZero, bool mrd, IReadOnlySet<string>? highlighted)
    {
        var day = enrollment.CollectionDate(r).DayNumber - dayZero.DayNumber;
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

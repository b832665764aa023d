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
/// history, the rule's threshold from <see cref="RulesOptions"/>) or of a patient's analyte for the timeline.
/// </summary>
public static class TrendCharts
{
    /// <summary>The chart for <paramref name="alert"/>, or null when it rests on no result (ops alerts, overdue monitoring).</summary>
    public static TrendChart? ForAlert(Alert alert, Enrollment enrollment, IEnumerable<LabResult> history, RulesOptions rules)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(rules);
        var trigger = alert.Evidence.FirstOrDefault(e => e.Role == EvidenceRoles.Trigger);
        if (trigger is null || !AnalyteCatalog.TryResolve(trigger.Analyte, out var info))
        {
            return null;
        }

        var triggers = alert.Evidence.Where(e => e.Role == EvidenceRoles.Trigger).Select(e => e.ResultId).ToHashSet(StringComparer.Ordinal);
        return ForAnalyte(info.Analyte, enrollment, history, ThresholdFor(alert.RuleId, info.Analyte, rules), triggers);
    }

    /// <summary>The analytes of a patient's timeline, in the order a haematologist reads them, with the rule each is judged by.</summary>
    private static readonly (Analyte Analyte, string RuleId)[] s_timeline =
    [
        (Analyte.Mrd, "mrd.negative-conversion"), (Analyte.Cd19Abs, "bcell.recovery"), (Analyte.Cd19Pct, "bcell.recovery"),
        (Analyte.IgG, "igg.low"), (Analyte.Cd4Abs, "cd4.prophylaxis-stop"), (Analyte.Anc, "anc.severe-neutropenia"),
        (Analyte.Plt, "plt.severe-thrombocytopenia"), (Analyte.Hgb, "hgb.severe-anemia"),
    ];

    /// <summary>
    /// A patient's timeline: one chart per followed analyte that has values (optionally only <paramref name="only"/>).
    /// </summary>
    public static IReadOnlyList<TrendChart> ForPatient(Enrollment enrollment, IReadOnlyCollection<LabResult> history, RulesOptions rules, Analyte? only = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return s_timeline
            .Where(t => only is null || t.Analyte == only)
            .Select(t => ForAnalyte(t.Analyte, enrollment, history, ThresholdFor(t.RuleId, t.Analyte, rules)))
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

    /// <summary>The value a rule compares <paramref name="analyte"/> with, in the analyte's canonical unit.</summary>
    public static TrendThreshold? ThresholdFor(string ruleId, Analyte analyte, RulesOptions rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var unit = AnalyteCatalog.Get(analyte).DisplayUnit;
        double? value = (ruleId, analyte) switch
        {
            (_, Analyte.Mrd) => rules.Mrd.ThresholdFraction * 100,
            ("igg.low", _) => rules.IgGLow.ThresholdMgPerDl,
            ("cd4.prophylaxis-stop", Analyte.Cd4Abs) => rules.Cd4ProphylaxisStop.ThresholdCellsPerUl,
            ("bcell.recovery", Analyte.Cd19Abs) => rules.BCellRecovery.AbsoluteThreshold,
            ("bcell.recovery", Analyte.Cd19Pct) => rules.BCellRecovery.PercentThreshold,
            ("anc.severe-neutropenia", _) => rules.SevereNeutropenia.Threshold,
            ("plt.severe-thrombocytopenia", _) => rules.SevereThrombocytopenia.Threshold,
            ("hgb.severe-anemia", _) => rules.SevereAnemia.Threshold,
            ("counts.recovery", Analyte.Anc) => rules.CountsRecovery.MinAnc,
            ("counts.recovery", Analyte.Plt) => rules.CountsRecovery.MinPlatelets,
            ("counts.recovery", Analyte.Hgb) => rules.CountsRecovery.MinHaemoglobin,
            _ => null,
        };
        if (value is not { } v)
        {
            return null;
        }

        var label = analyte == Analyte.Mrd
            ? FormattableString.Invariant($"{v:0.####} % (MRD-negative below)")
            : FormattableString.Invariant($"{v:0.##} {unit} (rule threshold)");
        return new TrendThreshold(v, label);
    }

    private static TrendPoint? Point(LabResult r, Enrollment enrollment, bool mrd, IReadOnlySet<string>? highlighted)
    {
        var day = enrollment.DayPostInfusion(r.CollectedAt);
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

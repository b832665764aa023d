using CarTLabPipeline.Domain;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.Counts;

/// <summary>
/// A severe cytopenia (CTCAE): below the threshold on or after the minimum day (default +14; earlier values are expected
/// after lymphodepletion), or at any time after a post-infusion recovery by the count's recovery definition
/// (<see cref="CountRecovery"/>, clinical.md §2.6: one value back above the line during aplasia is not a recovery) — once
/// per episode. An episode that began before the minimum day and is still below on it is raised then (prolonged cytopenia).
/// </summary>
public abstract class CytopeniaRule(Analyte analyte) : IRule
{
    public abstract string Id { get; }

    public int Version => 1;

    protected abstract CytopeniaOptions Options { get; }

    protected abstract string Condition { get; }

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = Options;
        if (!o.Enabled)
        {
            yield break;
        }

        var threshold = (decimal)o.Threshold;
        var recovery = new CountRecovery.Tracker(new CountRecovery((decimal)o.RecoveryThreshold, o.RecoveryValues, o.RecoveryOnConsecutiveDays));
        var inEpisode = false;
        var raised = false;
        LabResult? recoveredBy = null;
        LabResult? previous = null;
        foreach (var r in context.Series(analyte))
        {
            var day = context.Day(r);
            if (day > 0 && recovery.Add(r, context.LocalDate(r)))
            {
                recoveredBy = r;
            }

            switch (Threshold.Compare(r, threshold))
            {
                case ThresholdState.Below:
                    if (!inEpisode)
                    {
                        (inEpisode, raised) = (true, false);
                    }

                    if (!raised && (day >= o.MinDay || recoveredBy is not null))
                    {
                        raised = true;
                        yield return Draft(context, r, previous, threshold, recoveredBy);
                    }

                    break;
                case ThresholdState.AtOrAbove:
                    inEpisode = false;
                    break;
                default:
                    continue;
            }

            previous = r;
        }
    }

    /// <summary>The grade text for a value, e.g. "CTCAE grade 4; late ICAHT grade 3 …".</summary>
    protected abstract string Grade(RuleContext context, LabResult result);

    private AlertDraft Draft(RuleContext context, LabResult r, LabResult? previous, decimal threshold, LabResult? recoveredBy)
    {
        var info = AnalyteCatalog.Get(analyte);
        var thresholdText = $"{ClinicalText.Number(threshold)} {ClinicalText.DisplayUnit(r)}";
        var day = context.Day(r);
        var previously = previous is null ? string.Empty
            : $" Previously {ClinicalText.At(context, previous)}.";
        var timing = day < Options.MinDay && recoveredBy is not null
            ? $" (before day +{Options.MinDay}, after recovery on day {ClinicalText.Day(context.Day(recoveredBy))})"
            : string.Empty;
        return new AlertDraft
        {
            RuleId = Id,
            RuleVersion = Version,
            Severity = Options.Severity,
            Title = $"{Condition} ({info.DisplayName.Split(' ')[0].ToLowerInvariant()} < {thresholdText})",
            Summary = $"{ClinicalText.Observation(context, r)}{timing}: {Grade(context, r)}.{previously}",
            SuggestedAction = Options.SuggestedAction,
            Triggers = [r],
            Previous = previous is null ? [] : [previous],
        };
    }

    /// <summary>Grade from an ordered list of (upper bound exclusive, grade) pairs, lowest bound first.</summary>
    protected static int? GradeBelow(decimal value, params (decimal Below, int Grade)[] bands) =>
        bands.Where(b => value < b.Below).Select(b => (int?)b.Grade).FirstOrDefault();
}

/// <summary>
/// <c>anc.severe-neutropenia</c>: neutrophils below 0.5 × 10⁹/L (CTCAE grade 4); states the early ICAHT grade (cumulative
/// days of ANC ≤ 0.5 in days 0–30, <see cref="EarlyIcaht"/>) up to day +30 and the late ICAHT grade after.
/// </summary>
public sealed class SevereNeutropeniaRule(IOptions<RulesOptions> options) : CytopeniaRule(Analyte.Anc)
{
    public const string RuleId = "anc.severe-neutropenia";

    public override string Id => RuleId;

    protected override CytopeniaOptions Options => options.Value.SevereNeutropenia;

    protected override string Condition => "Severe neutropenia";

    protected override string Grade(RuleContext context, LabResult result)
    {
        var (value, day) = (result.Value!.Value, context.Day(result));
        var ctcae = GradeBelow(value, (0.5m, 4), (1.0m, 3), (1.5m, 2));
        var text = ctcae is null ? "below the configured threshold" : $"CTCAE grade {ctcae}";
        if (day > 30)
        {
            // Late ICAHT (EHA/EBMT 2023, Rejeski et al.): graded on depth; ≤ bounds, in 10⁹/L.
            var icaht = value <= 0.1m ? 4 : value <= 0.5m ? 3 : value <= 1.0m ? 2 : value <= 1.5m ? 1 : (int?)null;
            if (icaht is not null)
            {
                text += $"; late ICAHT grade {icaht} (EHA/EBMT 2023; applies when non-transient — confirm on a repeat count)";
            }
        }
        else if (day >= 0)
        {
            text += "; " + EarlyIcaht.Describe(context, context.Series(Analyte.Anc), day, options.Value.SevereNeutropenia.EarlyIcahtMaxGapDays);
        }

        return text;
    }
}

/// <summary><c>plt.severe-thrombocytopenia</c>: platelets below 25 × 10⁹/L (CTCAE grade 4).</summary>
public sealed class SevereThrombocytopeniaRule(IOptions<RulesOptions> options) : CytopeniaRule(Analyte.Plt)
{
    public const string RuleId = "plt.severe-thrombocytopenia";

    public override string Id => RuleId;

    protected override CytopeniaOptions Options => options.Value.SevereThrombocytopenia;

    protected override string Condition => "Severe thrombocytopenia";

    protected override string Grade(RuleContext context, LabResult result) =>
        GradeBelow(result.Value!.Value, (25m, 4), (50m, 3), (75m, 2)) is { } g ? $"CTCAE grade {g}" : "below the configured threshold";
}

/// <summary><c>hgb.severe-anemia</c>: haemoglobin below 8.0 g/dL (CTCAE grade 3).</summary>
public sealed class SevereAnemiaRule(IOptions<RulesOptions> options) : CytopeniaRule(Analyte.Hgb)
{
    public const string RuleId = "hgb.severe-anemia";

    public override string Id => RuleId;

    protected override CytopeniaOptions Options => options.Value.SevereAnemia;

    protected override string Condition => "Severe anaemia";

    protected override string Grade(RuleContext context, LabResult result) =>
        GradeBelow(result.Value!.Value, (8.0m, 3), (10.0m, 2)) is { } g ? $"CTCAE grade {g}" : "below the configured threshold";
}

using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules.Cytopenia;

/// <summary>
/// A severe cytopenia (CTCAE): below the threshold on or after the minimum day (default +14; earlier values are expected
/// after lymphodepletion), or at any time after a post-infusion recovery by the count's recovery definition
/// (<see cref="CountRecovery"/>, docs/clinical.md §2.6: one value back above the line during aplasia is not a recovery) — once
/// per episode. An episode that began before the minimum day and is still below on it is raised then (prolonged cytopenia).
/// </summary>
public abstract class CytopeniaRule(Analyte analyte) : IRule
{
    public abstract string Id { get; }

    public int Version => 1;

    public IEnumerable<RuleThreshold> Thresholds => [RuleThreshold.Of(analyte, Options.Threshold, timeline: true)];

    protected abstract CytopeniaOptions Options { get; }

    protected abstract string Condition { get; }

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = Options;
        if (!o.Enabled || !context.IsCarTFollowUp) // CAR-T follow-up only: not after an allogeneic HSCT
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

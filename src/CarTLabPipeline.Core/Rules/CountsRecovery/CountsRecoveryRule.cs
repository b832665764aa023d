using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.SevereAnemia;
using CarTLabPipeline.Rules.SevereNeutropenia;
using CarTLabPipeline.Rules.SevereThrombocytopenia;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.CountsRecovery;

/// <summary>
/// <c>counts.recovery</c>: after a cytopenia episode post infusion (a value below a severe-cytopenia threshold), neutrophils
/// ≥ 1.0 × 10⁹/L, platelets ≥ 100 × 10⁹/L and haemoglobin ≥ 10 g/dL on the same day (the patient's calendar day).
/// Once per episode.
/// </summary>
public sealed class CountsRecoveryRule(
    IOptions<CountsRecoveryOptions> options,
    IOptions<SevereNeutropeniaOptions> neutropenia,
    IOptions<SevereThrombocytopeniaOptions> thrombocytopenia,
    IOptions<SevereAnemiaOptions> anemia) : IRule
{
    public const string RuleId = "counts.recovery";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<RuleThreshold> Thresholds => [
        RuleThreshold.Of(Analyte.Anc, options.Value.MinAnc),
        RuleThreshold.Of(Analyte.Plt, options.Value.MinPlatelets),
        RuleThreshold.Of(Analyte.Hgb, options.Value.MinHaemoglobin),
    ];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.Enabled || !context.IsCarTFollowUp) // CAR-T follow-up only: not after an allogeneic HSCT
        {
            yield break;
        }

        var (severeAnc, severePlt, severeHgb) = ((decimal)neutropenia.Value.Threshold, (decimal)thrombocytopenia.Value.Threshold, (decimal)anemia.Value.Threshold);
        var (minAnc, minPlt, minHgb) = ((decimal)o.MinAnc, (decimal)o.MinPlatelets, (decimal)o.MinHaemoglobin);
        decimal Severe(LabResult r) => r.Analyte == Analyte.Anc ? severeAnc : r.Analyte == Analyte.Plt ? severePlt : severeHgb;
        decimal Recovered(LabResult r) => r.Analyte == Analyte.Anc ? minAnc : r.Analyte == Analyte.Plt ? minPlt : minHgb;

        LabResult? nadir = null;
        foreach (var latest in LatestCountsPerDay(context))
        {
            // The last value of each count that day, in the order the counts first appear that day.
            LabResult? low = null;
            foreach (var r in latest)
            {
                if (context.Day(r) >= 0 && Threshold.Compare(r, Severe(r)) == ThresholdState.Below)
                {
                    low = r;
                    break;
                }
            }

            if (low is not null)
            {
                nadir = low;
                continue;
            }

            if (nadir is not null && latest.Count == 3 && latest.TrueForAll(r => Threshold.Compare(r, Recovered(r)) == ThresholdState.AtOrAbove))
            {
                var triggers = latest.OrderBy(r => r.Analyte).ToList();
                var anchor = triggers[0];
                var values = string.Join(", ", triggers.Select(r => $"{AnalyteCatalog.Get(r.Analyte).DisplayName.ToLowerInvariant()} {ClinicalText.Value(r)}"));
                yield return new AlertDraft
                {
                    RuleId = Id,
                    RuleVersion = Version,
                    Severity = o.Severity,
                    Title = $"Blood counts recovered (day {ClinicalText.Day(context.Day(anchor))})",
                    Summary = $"Blood counts recovered {ClinicalText.When(context, anchor)}: {values}; " +
                        $"after {AnalyteCatalog.Get(nadir.Analyte).DisplayName.ToLowerInvariant()} {ClinicalText.Value(nadir)} on day {ClinicalText.Day(context.Day(nadir))}.",
                    SuggestedAction = o.SuggestedAction,
                    Triggers = triggers,
                    Previous = [nadir],
                };
                nadir = null;
            }
        }
    }

    /// <summary>
    /// Per calendar day (in the order the days first appear in the history), the last value of each blood count that day,
    /// in the order the counts first appear that day.
    /// </summary>
    private static List<List<LabResult>> LatestCountsPerDay(RuleContext context)
    {
        var days = new List<List<LabResult>>();
        var index = new Dictionary<DateOnly, int>();
        foreach (var r in context.History)
        {
            if (r.Analyte is not (Analyte.Anc or Analyte.Plt or Analyte.Hgb))
            {
                continue;
            }

            var date = context.LocalDate(r);
            if (!index.TryGetValue(date, out var i))
            {
                index[date] = i = days.Count;
                days.Add(new List<LabResult>(3));
            }

            var latest = days[i];
            var slot = 0;
            while (slot < latest.Count && latest[slot].Analyte != r.Analyte)
            {
                slot++;
            }

            if (slot == latest.Count)
            {
                latest.Add(r);
            }
            else
            {
                latest[slot] = r; // time order: the later value of the day wins
            }
        }

        return days;
    }
}

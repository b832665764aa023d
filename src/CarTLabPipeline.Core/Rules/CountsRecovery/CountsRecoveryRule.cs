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

        var severe = new Dictionary<Analyte, decimal>
        {
            [Analyte.Anc] = (decimal)neutropenia.Value.Threshold,
            [Analyte.Plt] = (decimal)thrombocytopenia.Value.Threshold,
            [Analyte.Hgb] = (decimal)anemia.Value.Threshold,
        };
        var recovered = new Dictionary<Analyte, decimal>
        {
            [Analyte.Anc] = (decimal)o.MinAnc,
            [Analyte.Plt] = (decimal)o.MinPlatelets,
            [Analyte.Hgb] = (decimal)o.MinHaemoglobin,
        };

        LabResult? nadir = null;
        var days = context.History.Where(r => severe.ContainsKey(r.Analyte)).GroupBy(context.LocalDate);
        foreach (var day in days)
        {
            // The last value of each count that day.
            var latest = day.GroupBy(r => r.Analyte).ToDictionary(g => g.Key, g => g.Last());
            var lows = latest.Values.Where(r => context.Day(r) >= 0 && Threshold.Compare(r, severe[r.Analyte]) == ThresholdState.Below).ToList();
            if (lows.Count > 0)
            {
                nadir = lows[0];
                continue;
            }

            if (nadir is not null && latest.Count == 3 && latest.Values.All(r => Threshold.Compare(r, recovered[r.Analyte]) == ThresholdState.AtOrAbove))
            {
                var triggers = latest.Values.OrderBy(r => r.Analyte).ToList();
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
}

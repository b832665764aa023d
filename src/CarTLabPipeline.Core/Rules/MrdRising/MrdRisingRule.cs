using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Mrd;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.MrdRising;

/// <summary>
/// <c>mrd.rising</c>: a follow-up MRD positive and at least 1 log10 above the previous positive value (which may be the
/// pre-infusion baseline); a rise between two pre-infusion values (bridging) is baseline, not an alert.
/// </summary>
public sealed class MrdRisingRule(IOptions<MrdOptions> mrd, IOptions<MrdRisingOptions> options) : IRule
{
    public const string RuleId = "mrd.rising";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<RuleThreshold> Thresholds => [RuleThreshold.Mrd(mrd.Value.ThresholdFraction)];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.Enabled)
        {
            yield break;
        }

        LabResult? previous = null;
        foreach (var (r, state) in MrdSeries.Read(context, mrd.Value))
        {
            if (state == MrdState.Negative)
            {
                previous = null; // a negative ends the run; re-emergence is mrd.positive-conversion
                continue;
            }

            // Only quantified positives are compared: a censored ">" value has no exact rise.
            if (state != MrdState.Positive || r.Comparator is not null || r.MrdFraction is not { } current)
            {
                continue;
            }

            // A pre-infusion value is the baseline a follow-up value is compared with, never a trigger itself.
            if (previous?.MrdFraction is { } before && before > 0 && context.IsFollowUp(r))
            {
                var rise = Math.Log10((double)(current / before));
                if (rise >= o.MinLogIncrease - 1e-9)
                {
                    yield return new AlertDraft
                    {
                        RuleId = Id,
                        RuleVersion = Version,
                        Severity = o.Severity,
                        Title = $"MRD rising ≥ {ClinicalText.Number((decimal)o.MinLogIncrease)} log",
                        Summary = $"{MrdSeries.Describe(context, r)}, up {rise.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} log10 from " +
                            $"{ClinicalText.At(context, previous)}.",
                        SuggestedAction = o.SuggestedAction,
                        Triggers = [r],
                        Previous = [previous],
                    };
                }
            }

            previous = r;
        }
    }
}

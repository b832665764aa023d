using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Mrd;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.MrdNegativeConversion;

/// <summary>
/// <c>mrd.negative-conversion</c>: the first MRD-negative result (not detected or below 10⁻⁴ with sensitivity ≤ 10⁻⁴)
/// on or after day 0 after a positive one; pre-infusion values are the baseline (a pre-infusion negative after bridging is
/// a negative baseline, not a conversion).
/// </summary>
public sealed class MrdNegativeConversionRule(IOptions<MrdOptions> mrd, IOptions<MrdNegativeConversionOptions> options) : IRule
{
    public const string RuleId = "mrd.negative-conversion";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<RuleThreshold> Thresholds => [RuleThreshold.Mrd(mrd.Value.ThresholdFraction, timeline: true)];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.Enabled)
        {
            yield break;
        }

        LabResult? lastPositive = null;
        foreach (var (r, state) in MrdSeries.Read(context, mrd.Value))
        {
            if (state is MrdState.Positive or MrdState.DetectableLow)
            {
                lastPositive = r;
            }
            else if (state == MrdState.Negative && lastPositive is not null)
            {
                if (!context.IsFollowUp(r))
                {
                    lastPositive = null; // negative before infusion (after bridging): the baseline is negative
                    continue;
                }

                yield return new AlertDraft
                {
                    RuleId = Id,
                    RuleVersion = Version,
                    Severity = o.Severity,
                    Title = "MRD-negative conversion",
                    Summary = $"{MrdSeries.Describe(context, r)}; previously {ClinicalText.At(context, lastPositive)}. " +
                        $"MRD negative at the {MrdClassifier.PowerOfTen((decimal)mrd.Value.ThresholdFraction)} level.",
                    SuggestedAction = o.SuggestedAction,
                    Triggers = [r],
                    Previous = [lastPositive],
                };
                lastPositive = null;
            }
        }
    }
}

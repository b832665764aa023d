using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Mrd;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.MrdPositiveConversion;

/// <summary>
/// <c>mrd.positive-conversion</c>: MRD ≥ 10⁻⁴ after at least one negative result post infusion (molecular relapse),
/// critical; detectable but below 10⁻⁴ gives the same rule at warning (indeterminate: repeat). Once per episode: again
/// only after a new negative result.
/// </summary>
public sealed class MrdPositiveConversionRule(IOptions<MrdOptions> mrd, IOptions<MrdPositiveConversionOptions> options) : IRule
{
    public const string RuleId = "mrd.positive-conversion";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<RuleThreshold> Thresholds => [RuleThreshold.Mrd(mrd.Value.ThresholdFraction)];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rule = options.Value;
        if (!rule.Enabled)
        {
            yield break;
        }

        var threshold = MrdClassifier.PowerOfTen((decimal)mrd.Value.ThresholdFraction);
        LabResult? lastNegative = null;
        var indeterminateRaised = false;
        foreach (var (r, state) in MrdSeries.Read(context, mrd.Value))
        {
            if (state == MrdState.Negative && context.IsFollowUp(r))
            {
                lastNegative = r;
                indeterminateRaised = false;
                continue;
            }

            if (lastNegative is null || (state == MrdState.DetectableLow && indeterminateRaised) || state is MrdState.Negative or MrdState.NotEvaluable)
            {
                continue;
            }

            var positive = state == MrdState.Positive;
            var since = $"after MRD negativity {ClinicalText.When(context, lastNegative)}";
            yield return new AlertDraft
            {
                RuleId = Id,
                RuleVersion = Version,
                Severity = positive ? rule.Severity : rule.IndeterminateSeverity,
                Title = positive ? "MRD re-emergence after negativity (molecular relapse)" : $"MRD detectable below {threshold} after negativity",
                Summary = positive
                    ? $"{MrdSeries.Describe(context, r)}, at or above {threshold}, {since}."
                    : $"{MrdSeries.Describe(context, r)}: detectable but below {threshold} (indeterminate), {since}.",
                SuggestedAction = positive ? rule.SuggestedAction : rule.IndeterminateSuggestedAction,
                Triggers = [r],
                Previous = [lastNegative],
            };

            if (positive)
            {
                lastNegative = null; // the episode is open until a new negative result
            }
            else
            {
                indeterminateRaised = true;
            }
        }
    }
}

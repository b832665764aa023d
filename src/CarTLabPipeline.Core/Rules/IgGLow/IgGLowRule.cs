using CarTLabPipeline.Domain;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.IgGLow;

/// <summary>
/// <c>igg.low</c>: serum IgG below the threshold (default 300 mg/dL) — once per episode, again only after a value at or
/// above the threshold (docs/design.md §6). Censored values count only when certainly below (<c>&lt;200</c>). Pre-infusion values
/// are the baseline: cited as the previous value, never an episode of their own (a day −5 IgG of 240 neither alerts nor
/// hides the day +28 one).
/// </summary>
public sealed class IgGLowRule(IOptions<IgGLowOptions> options) : IRule
{
    public const string RuleId = "igg.low";

    private readonly IgGLowOptions _options = options.Value;

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<RuleThreshold> Thresholds => [RuleThreshold.Of(Analyte.IgG, _options.ThresholdMgPerDl, timeline: true)];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_options.Enabled)
        {
            yield break;
        }

        var threshold = (decimal)_options.ThresholdMgPerDl;
        var thresholdText = $"{ClinicalText.Number(threshold)} mg/dL";
        foreach (var (trigger, previous) in Threshold.LowEpisodes(context.Series(Analyte.IgG), threshold, context.IsFollowUp))
        {
            var summary = $"{ClinicalText.Observation(context, trigger)}, below {thresholdText}";
            summary += previous is null
                ? "; first IgG on record."
                : $"; previously {ClinicalText.At(context, previous)}.";
            yield return new AlertDraft
            {
                RuleId = Id,
                RuleVersion = Version,
                Severity = _options.Severity,
                Title = $"IgG below {thresholdText}",
                Summary = summary,
                SuggestedAction = _options.SuggestedAction,
                Triggers = [trigger],
                Previous = previous is null ? [] : [previous],
            };
        }
    }
}

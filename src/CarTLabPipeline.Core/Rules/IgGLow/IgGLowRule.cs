using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.IgGLow;

/// <summary>
/// <c>igg.low</c>: serum IgG below the threshold (default 300 mg/dL) — once per episode, again only after a value at or
/// above the threshold (docs/design.md §6). Censored values count only when certainly below (<c>&lt;200</c>). Pre-infusion values
/// are the baseline: cited as the previous value, never an episode of their own (a day −5 IgG of 240 neither alerts nor
/// hides the day +28 one). While immunoglobulin replacement runs (an <c>immunoglobulin-start</c> event on or before the
/// result, no stop between) a low IgG is a trough below target on replacement — check dose and interval — rather than a
/// reason to start replacement (clinical.md §1.3: within weeks of IVIG, IgG reflects donor IgG, compare troughs; §2.3); a
/// start or stop of replacement during a low run begins a new episode, since what to do changes.
/// </summary>
public sealed class IgGLowRule(IOptions<IgGLowOptions> options) : IRule
{
    public const string RuleId = "igg.low";

    private readonly IgGLowOptions _options = options.Value;

    public string Id => RuleId;

    public int Version => 2;

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
        var inEpisode = false;
        string? episodeReplacement = null;
        LabResult? previous = null;
        foreach (var r in context.Series(Analyte.IgG))
        {
            var state = Threshold.Compare(r, threshold);
            if (state == ThresholdState.Below && context.IsFollowUp(r))
            {
                var replacement = context.ImmunoglobulinReplacementOn(context.LocalDate(r));
                if (!inEpisode || replacement?.Key != episodeReplacement)
                {
                    (inEpisode, episodeReplacement) = (true, replacement?.Key);
                    yield return Draft(context, r, previous, replacement, thresholdText);
                }
            }
            else if (state == ThresholdState.AtOrAbove)
            {
                inEpisode = false;
            }

            if (state != ThresholdState.Unknown)
            {
                previous = r;
            }
        }
    }

    private AlertDraft Draft(RuleContext context, LabResult trigger, LabResult? previous, TreatmentEvent? replacement, string thresholdText)
    {
        var onReplacement = replacement is null ? string.Empty
            : $" on immunoglobulin replacement{(string.IsNullOrWhiteSpace(replacement.Detail) ? string.Empty : $" ({replacement.Detail.Trim()})")} " +
              $"since day {ClinicalText.Day(context.DayOf(replacement.Date))} ({ClinicalText.Date(replacement.Date)})";
        var summary = $"{ClinicalText.Observation(context, trigger)}, below {thresholdText}{onReplacement}";
        summary += previous is null
            ? "; first IgG on record."
            : $"; previously {ClinicalText.At(context, previous)}.";
        return new AlertDraft
        {
            RuleId = Id,
            RuleVersion = Version,
            Severity = _options.Severity,
            Title = replacement is null ? $"IgG below {thresholdText}" : $"IgG trough below {thresholdText} on replacement",
            Summary = summary,
            SuggestedAction = replacement is null ? _options.SuggestedAction : _options.OnReplacementSuggestedAction,
            Triggers = [trigger],
            Previous = previous is null ? [] : [previous],
        };
    }
}

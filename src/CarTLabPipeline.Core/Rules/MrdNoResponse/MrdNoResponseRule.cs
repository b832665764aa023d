using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Mrd;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.MrdNoResponse;

/// <summary>
/// <c>mrd.no-response</c> (critical): the first evaluable marrow MRD of the day +28 response assessment (day +14 … +42 by
/// default) is at or above 10⁻⁴, or positive at an unknown level. Any detectable MRD after CAR-T is adverse (docs/clinical.md
/// §2.1, NGS-MRD &gt; 0 at day +28: HR 4.87); no response is what a haematologist most needs to hear at day +28.
/// </summary>
public sealed class MrdNoResponseRule(IOptions<MrdOptions> mrd, IOptions<MrdNoResponseOptions> options) : IRule
{
    public const string RuleId = "mrd.no-response";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<RuleThreshold> Thresholds => [RuleThreshold.Mrd(mrd.Value.ThresholdFraction)];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.Enabled || !context.IsCarTFollowUp) // CAR-T follow-up only: not after an allogeneic HSCT
        {
            yield break;
        }

        var (from, to) = (o.AssessmentDay - o.WindowDays, o.AssessmentDay + o.WindowDays);
        foreach (var (r, state) in MrdSeries.Read(context, mrd.Value))
        {
            var day = context.Day(r);
            if (day < from || state == MrdState.NotEvaluable)
            {
                continue;
            }

            if (day > to)
            {
                yield break;
            }

            // The first evaluable marrow MRD of the window is the assessment; only it is judged.
            var unknownLevel = r.MrdFraction is null && r.Detected == true;
            if (state == MrdState.Positive || unknownLevel)
            {
                yield return Draft(context, o, mrd.Value, r, unknownLevel);
            }

            yield break;
        }
    }

    private AlertDraft Draft(RuleContext context, MrdNoResponseOptions o, MrdOptions mrd, LabResult r, bool unknownLevel)
    {
        var threshold = MrdClassifier.PowerOfTen((decimal)mrd.ThresholdFraction);
        var baseline = context.Baseline(Analyte.Mrd) is { } b && MrdSeries.IsMarrow(b) ? b : null;
        var before = baseline is null ? "no pre-infusion MRD on record" : $"pre-infusion MRD {ClinicalText.At(context, baseline)}";
        var assessment = $"the day {ClinicalText.Day(o.AssessmentDay)} response assessment";
        return new AlertDraft
        {
            RuleId = Id,
            RuleVersion = Version,
            Severity = o.Severity,
            Title = unknownLevel ? $"No MRD response at day {ClinicalText.Day(o.AssessmentDay)} (MRD detected)" : $"No MRD response at day {ClinicalText.Day(o.AssessmentDay)} (MRD ≥ {threshold})",
            Summary = unknownLevel
                ? $"{MrdSeries.Describe(context, r)}: MRD detected at an unknown level at {assessment} — no MRD response to CAR-T until shown otherwise; {before}."
                : $"{MrdSeries.Describe(context, r)}: at or above {threshold} at {assessment} — no MRD response to CAR-T; {before}.",
            SuggestedAction = o.SuggestedAction,
            Triggers = [r],
            Previous = baseline is null ? [] : [baseline],
        };
    }
}

using CarTLabPipeline.Domain;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.BCellRecovery;

/// <summary>
/// <c>bcell.recovery</c>: CD19+ B cells ≥ 1 % of lymphocytes or ≥ 20 cells/µL on the configured number of consecutive
/// samples, after post-infusion B-cell aplasia. Dated and graded by the first recovered sample (the later ones confirm it):
/// warning when that is before day +180 (early loss of CAR-T activity, higher relapse risk), info after. A sample is all
/// CD19 results of one collection time (% and absolute together).
/// </summary>
public sealed class BCellRecoveryRule(IOptions<BCellRecoveryOptions> options) : IRule
{
    public const string RuleId = "bcell.recovery";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<RuleThreshold> Thresholds => [
        RuleThreshold.Of(Analyte.Cd19Abs, options.Value.AbsoluteThreshold, timeline: true),
        RuleThreshold.Of(Analyte.Cd19Pct, options.Value.PercentThreshold, timeline: true),
    ];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.Enabled || !context.IsCarTFollowUp) // CAR-T follow-up only: not after an allogeneic HSCT
        {
            yield break;
        }

        var samples = context.History
            .Where(r => r.Analyte is Analyte.Cd19Pct or Analyte.Cd19Abs)
            .GroupBy(r => r.CollectedAt.UtcTicks)
            .Select(g => g.ToList());

        List<LabResult>? aplasiaStart = null;
        List<LabResult>? lastAplastic = null;
        var run = new List<List<LabResult>>();
        foreach (var sample in samples)
        {
            var states = sample.Select(r => Threshold.Compare(r, r.Analyte == Analyte.Cd19Pct ? (decimal)o.PercentThreshold : (decimal)o.AbsoluteThreshold)).ToList();
            var recovered = states.Contains(ThresholdState.AtOrAbove);
            var aplastic = states.All(s => s == ThresholdState.Below);
            if (aplastic && context.Day(sample[0]) > 0)
            {
                aplasiaStart ??= sample;
                lastAplastic = sample;
                run.Clear();
            }
            else if (recovered && aplasiaStart is not null)
            {
                run.Add(sample);
                if (run.Count >= o.ConsecutiveResults)
                {
                    yield return Draft(context, o, run, aplasiaStart, lastAplastic!);
                    aplasiaStart = null;
                    run.Clear();
                }
            }
        }
    }

    private AlertDraft Draft(RuleContext context, BCellRecoveryOptions o, List<List<LabResult>> run, List<LabResult> aplasiaStart, List<LabResult> lastAplastic)
    {
        // The recovery happened at the first recovered sample; later ones only confirm it. It is dated and graded (early or
        // late) by that first sample.
        var first = run[0];
        var day = context.Day(first[0]);
        var early = day < o.EarlyDayLimit;
        var confirming = run[^1];
        var confirmation = run.Count > 1
            ? $", confirmed by the {Ordinals.Of(run.Count)} consecutive recovered sample ({Values(confirming)} on day {ClinicalText.Day(context.Day(confirming[0]))}, {ClinicalText.Date(context, confirming[0])})"
            : string.Empty;
        return new AlertDraft
        {
            RuleId = Id,
            RuleVersion = Version,
            Severity = early ? o.EarlySeverity : o.Severity,
            Title = early ? $"Early B-cell recovery (day {ClinicalText.Day(day)}, before day +{o.EarlyDayLimit})" : $"B-cell recovery after aplasia (day {ClinicalText.Day(day)})",
            Summary = $"CD19+ B cells {Values(first)} on day {ClinicalText.Day(day)} ({ClinicalText.Date(context, first[0])}){confirmation}: " +
                $"B-cell aplasia since day {ClinicalText.Day(context.Day(aplasiaStart[0]))} has ended " +
                $"(last aplastic sample: {Values(lastAplastic)} on day {ClinicalText.Day(context.Day(lastAplastic[0]))}).",
            SuggestedAction = early ? o.EarlySuggestedAction : o.SuggestedAction,
            Triggers = [.. run.SelectMany(s => s).OrderBy(r => r.CollectedAt.UtcTicks).ThenBy(r => r.ResultId, StringComparer.Ordinal)],
            Previous = lastAplastic,
            Day = day,
            ObservedAt = first[0].CollectedAt,
        };
    }

    private static string Values(List<LabResult> sample) => string.Join(" and ", sample.OrderByDescending(r => r.Analyte).Select(Describe));

    private static string Describe(LabResult r) =>
        r.Analyte == Analyte.Cd19Pct ? $"{ClinicalText.Value(r)} of lymphocytes" : ClinicalText.Value(r);
}

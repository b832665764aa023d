using CarTLabPipeline.Domain;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.Cd4ProphylaxisStop;

/// <summary>
/// <c>cd4.prophylaxis-stop</c>: CD4+ T cells (absolute) above the threshold (default 300/µL) on the configured number of
/// consecutive results spanning the configured days, on or after the minimum day — once. Not raised when prophylaxis is
/// recorded as stopped (a <c>prophylaxis-stop</c> event, none still running) on or before the qualifying result: the review
/// it asks for is done; an alert raised before the stop was recorded is retracted by the next evaluation. Not raised after
/// an allogeneic HSCT (prophylaxis then follows the transplant protocol).
/// </summary>
public sealed class Cd4ProphylaxisStopRule(IOptions<Cd4ProphylaxisStopOptions> options) : IRule
{
    public const string RuleId = "cd4.prophylaxis-stop";

    public string Id => RuleId;

    public int Version => 2;

    public IEnumerable<RuleThreshold> Thresholds => [RuleThreshold.Of(Analyte.Cd4Abs, options.Value.ThresholdCellsPerUl, timeline: true)];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.Enabled || !context.IsCarTFollowUp)
        {
            yield break;
        }

        var threshold = (decimal)o.ThresholdCellsPerUl;
        var run = new List<LabResult>();
        LabResult? before = null;
        foreach (var r in context.Series(Analyte.Cd4Abs).Where(r => context.Day(r) >= o.MinDay))
        {
            switch (Threshold.Exceeds(r, threshold))
            {
                case true:
                    run.Add(r);
                    if (run.Count >= o.ConsecutiveResults && context.Day(run[^1]) - context.Day(run[0]) >= o.MinSpanDays)
                    {
                        if (context.ProphylaxisStoppedOn(context.LocalDate(run[^1])) is null)
                        {
                            yield return Draft(context, o, run, before);
                        }

                        yield break; // once: and not at all when prophylaxis had already been stopped
                    }

                    break;
                case false:
                    run.Clear();
                    before = r;
                    break;
                default:
                    break; // a censored value that cannot tell changes nothing
            }
        }
    }

    private AlertDraft Draft(RuleContext context, Cd4ProphylaxisStopOptions o, List<LabResult> run, LabResult? before)
    {
        var last = run[^1];
        var threshold = $"{ClinicalText.Number((decimal)o.ThresholdCellsPerUl)} cells/µL";
        var values = run.Count == 1
            ? ClinicalText.Observation(context, last)
            : $"CD4+ T cells above {threshold} on {run.Count} consecutive results: " +
              string.Join(", ", run.Select(r => $"{ClinicalText.Value(r)} on day {ClinicalText.Day(context.Day(r))}"));
        var previously = before is null ? string.Empty
            : $"; previously {ClinicalText.At(context, before)}";
        return new AlertDraft
        {
            RuleId = Id,
            RuleVersion = Version,
            Severity = o.Severity,
            Title = $"CD4+ T cells above {threshold}: prophylaxis review",
            Summary = (run.Count == 1 ? $"{values}, above {threshold}" : values) + previously + ".",
            SuggestedAction = o.SuggestedAction,
            Triggers = run.ToList(),
            Previous = before is null ? [] : [before],
        };
    }
}

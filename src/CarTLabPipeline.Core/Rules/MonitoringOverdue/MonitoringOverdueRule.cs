using System.Globalization;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.MonitoringOverdue;

/// <summary>
/// <c>monitoring.overdue</c>: one alert per missed window of the follow-up schedule (<see cref="FollowUpSchedule"/>: marrow
/// MRD, blood counts, IgG, CD19, CD4, registry timepoints; configurable per analyte and product), naming the test — raised
/// once the window has closed (judged at <see cref="RuleContext.AsOf"/>) and only for windows that closed while the pipeline
/// followed the patient (<see cref="RuleContext.MonitoredSince"/>). Any result taken in the window, preliminary or not
/// evaluable included, satisfies it; a late one retracts the alert.
/// </summary>
public sealed class MonitoringOverdueRule(IOptions<MonitoringOverdueOptions> options) : IRule
{
    public const string RuleId = "monitoring.overdue";

    public string Id => RuleId;

    public int Version => 2;

    public IEnumerable<RuleThreshold> Thresholds => [];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.Enabled || !context.IsCarTFollowUp) // CAR-T follow-up only: not after an allogeneic HSCT
        {
            yield break;
        }

        foreach (var t in FollowUpSchedule.Evaluate(context, o).Where(t => t.Status == ScheduleStatus.Overdue))
        {
            var lastText = t.LastBefore is null ? $"no earlier {t.Check.Name} on record"
                : $"last {ClinicalText.Observation(context, t.LastBefore)}";
            yield return new AlertDraft
            {
                RuleId = Id,
                RuleVersion = Version,
                Severity = o.Severity,
                Title = $"Overdue: {t.Name} {t.Check.Name}",
                Summary = $"No {t.Check.Name} result between day {ClinicalText.Day(t.From)} and day {ClinicalText.Day(t.To)} " +
                    $"({Iso(context.DateOf(t.From))} – {Iso(context.DateOf(t.To))}), the window of the {t.Name} " +
                    $"{t.Check.Name}; {lastText}.",
                SuggestedAction = o.SuggestedAction,
                Triggers = [],
                Previous = t.LastBefore is null ? [] : [t.LastBefore],
                // MRD keeps the key it had before the schedule covered other tests, so its stored alerts keep their ids.
                // A later follow-up (second infusion) has its own windows: its day 0 is part of the id.
                IdKeys = [
                    t.Check.Key == "mrd" ? $"assessment:{Num(t.Day)}" : $"schedule:{t.Check.Key}:{Num(t.Day)}",
                    .. context.FollowUp.StartedBy is null ? Array.Empty<string>() : [$"day0:{Iso(context.DayZero)}"],
                ],
                Day = t.Day,
                ObservedAt = t.ClosedAt,
            };
        }
    }

    private static string Num(int day) => day.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

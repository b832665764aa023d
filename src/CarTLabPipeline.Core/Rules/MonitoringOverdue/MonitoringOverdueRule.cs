using System.Globalization;
using CarTLabPipeline.Domain;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.MonitoringOverdue;

/// <summary>
/// <c>monitoring.overdue</c>: no MRD result in the window of a scheduled assessment (day +28, month 3, 6, 12; ± 14 days),
/// raised once the window has closed (judged at the evaluation time, <see cref="RuleContext.AsOf"/>) — only for windows
/// that closed while the pipeline followed the patient (<see cref="RuleContext.MonitoredSince"/>). A late MRD result inside
/// the window retracts it.
/// </summary>
public sealed class MonitoringOverdueRule(IOptions<MonitoringOverdueOptions> options) : IRule
{
    public const string RuleId = "monitoring.overdue";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<RuleThreshold> Thresholds => [];

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.Enabled)
        {
            yield break;
        }

        var enrollment = context.Enrollment;
        var today = enrollment.LocalDate(context.AsOf);
        var mrd = context.Series(Analyte.Mrd);
        foreach (var day in o.AssessmentDays.Distinct().Order())
        {
            var (from, to) = (day - o.WindowDays, day + o.WindowDays);
            var windowEnd = enrollment.InfusionDate.AddDays(to);
            var closedAt = enrollment.StartOfLocalDay(windowEnd.AddDays(1));
            var watched = context.MonitoredSince is not { } since || closedAt > since;
            if (today <= windowEnd || !watched || mrd.Any(r => context.Day(r) >= from && context.Day(r) <= to))
            {
                continue;
            }

            var last = mrd.LastOrDefault(r => context.Day(r) < from);
            var name = AssessmentName(day);
            var lastText = last is null ? "no earlier MRD on record"
                : $"last MRD {ClinicalText.At(context, last)}";
            yield return new AlertDraft
            {
                RuleId = Id,
                RuleVersion = Version,
                Severity = o.Severity,
                Title = $"Overdue: {name} MRD assessment",
                Summary = $"No bone-marrow MRD result between day {ClinicalText.Day(from)} and day {ClinicalText.Day(to)} " +
                    $"({Iso(enrollment.InfusionDate.AddDays(from))} – {Iso(windowEnd)}), the window of the {name} assessment; {lastText}.",
                SuggestedAction = o.SuggestedAction,
                Triggers = [],
                Previous = last is null ? [] : [last],
                IdKeys = [$"assessment:{day.ToString(CultureInfo.InvariantCulture)}"],
                Day = day,
                ObservedAt = closedAt,
            };
        }
    }

    /// <summary>day +28, month 3, month 6, month 12; other days as day +N.</summary>
    public static string AssessmentName(int day) => day switch
    {
        28 => "day +28",
        90 or 91 or 92 => "month-3",
        180 or 182 or 183 => "month-6",
        365 or 366 => "month-12",
        _ => $"day {ClinicalText.Day(day)}",
    };

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

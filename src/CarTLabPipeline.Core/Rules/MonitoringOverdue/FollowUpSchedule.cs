using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules.MonitoringOverdue;

/// <summary>
/// The follow-up schedule of a patient (<see cref="MonitoringOverdueOptions.EffectiveSchedule"/>) read against what was
/// collected: any result of the check's analytes taken in the window satisfies it, preliminary or not evaluable included
/// (a test was taken). Pure: a function of the context and the options.
/// </summary>
public static class FollowUpSchedule
{
    public static IReadOnlyList<ScheduledTimepoint> Evaluate(RuleContext context, MonitoringOverdueOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (!context.IsCarTFollowUp)
        {
            return []; // after an allogeneic HSCT the CAR-T schedule ends (the transplant team's schedule applies)
        }

        var enrollment = context.Enrollment;
        var todayDay = context.DayOf(enrollment.LocalDate(context.AsOf));
        var timepoints = new List<ScheduledTimepoint>();
        foreach (var check in options.EffectiveSchedule.Where(c => c.AppliesTo(enrollment.Product)))
        {
            // Each analyte's taken results with their days (time order, so the days ascend): a window is a binary search.
            var series = check.Analytes
                .Select(a => AnalyteCatalog.TryResolve(a, out var info) ? info.Analyte : (Analyte?)null).OfType<Analyte>().Distinct()
                .Select(a => check.Specimen is { Length: > 0 } ? context.CollectedSeries(a).Where(r => SpecimenMatches(check.Specimen, r)).ToList() : context.CollectedSeries(a))
                .Where(s => s.Count > 0)
                .Select(s => (Results: s, Days: s.Select(context.Day).ToArray()))
                .ToList();
            foreach (var day in check.Days.Distinct().Order())
            {
                var (from, to) = (day - check.WindowDays, day + check.WindowDays);
                LabResult? collected = null, lastBefore = null;
                foreach (var (results, days) in series)
                {
                    var i = LowerBound(days, from);
                    if (i < days.Length && days[i] <= to && (collected is null || results[i].CollectedAt < collected.CollectedAt))
                    {
                        collected = results[i];
                    }

                    if (i > 0 && (lastBefore is null || results[i - 1].CollectedAt > lastBefore.CollectedAt))
                    {
                        lastBefore = results[i - 1];
                    }
                }

                var closedAt = context.StartOfLocalDay(context.DateOf(to + 1));
                var status = collected is not null ? ScheduleStatus.Done
                    : todayDay < from ? ScheduleStatus.Upcoming
                    : todayDay <= to ? ScheduleStatus.Due
                    : context.MonitoredSince is not { } since || closedAt > since ? ScheduleStatus.Overdue
                    : ScheduleStatus.Missed;
                timepoints.Add(new ScheduledTimepoint(check, day, from, to, status, collected, lastBefore, closedAt));
            }
        }

        return timepoints;
    }

    /// <summary>The first index whose day is at or after <paramref name="day"/> (the length when none).</summary>
    private static int LowerBound(int[] days, int day)
    {
        var i = Array.BinarySearch(days, day);
        if (i < 0)
        {
            return ~i;
        }

        while (i > 0 && days[i - 1] == day)
        {
            i--;
        }

        return i;
    }

    private static bool SpecimenMatches(string wanted, LabResult r) =>
        ResultIdentity.SpecimenKind(r.Specimen) is var kind && (kind.Length == 0 || kind == ResultIdentity.SpecimenKind(wanted));
}

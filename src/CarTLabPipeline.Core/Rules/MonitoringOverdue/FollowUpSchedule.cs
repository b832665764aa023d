using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules.MonitoringOverdue;

/// <summary>Where a scheduled check stands at the evaluation time.</summary>
public enum ScheduleStatus
{
    /// <summary>A result was collected in the window.</summary>
    Done,
    /// <summary>The window has not opened yet.</summary>
    Upcoming,
    /// <summary>The window is open and nothing was collected yet.</summary>
    Due,
    /// <summary>The window closed without a result while the pipeline followed the patient: <c>monitoring.overdue</c>.</summary>
    Overdue,
    /// <summary>The window closed without a result before the pipeline followed the patient (not alerted).</summary>
    Missed,
}

/// <summary>One timepoint of the schedule for one patient.</summary>
/// <param name="Check">The scheduled test.</param>
/// <param name="Day">The day it is due.</param>
/// <param name="From">First day of the window.</param>
/// <param name="To">Last day of the window.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="CollectedBy">The first result collected in the window (any status), when done.</param>
/// <param name="LastBefore">The last result of the test collected before the window, for the overdue text.</param>
/// <param name="ClosedAt">The instant the window closed (start of the day after it, patient's time zone).</param>
public sealed record ScheduledTimepoint(ScheduledCheck Check, int Day, int From, int To, ScheduleStatus Status, LabResult? CollectedBy, LabResult? LastBefore, DateTimeOffset ClosedAt)
{
    /// <summary>day +28, month 3, month 6, month 12, year 2 …; other days as day +N.</summary>
    public string Name => TimepointName(Day);

    /// <summary>The name of a scheduled day.</summary>
    public static string TimepointName(int day) => day switch
    {
        28 => "day +28",
        90 or 91 or 92 => "month-3",
        180 or 182 or 183 => "month-6",
        270 or 273 or 274 => "month-9",
        365 or 366 => "month-12",
        730 or 731 => "year-2",
        1095 or 1096 => "year-3",
        1460 or 1461 => "year-4",
        1825 or 1826 => "year-5",
        _ => $"day {ClinicalText.Day(day)}",
    };
}

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

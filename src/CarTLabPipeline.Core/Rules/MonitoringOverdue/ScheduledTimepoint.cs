using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules.MonitoringOverdue;

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

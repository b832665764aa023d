
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

using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Notifications;

/// <summary>An alert on a <see cref="TimelineView"/>, at the day of its (last) triggering result.</summary>
/// <param name="AlertId">The alert, for its page.</param>
/// <param name="Day">Day since day 0 of the current follow-up.</param>
/// <param name="Severity">Its severity (the marker's colour).</param>
/// <param name="Status">Open, acknowledged or retracted.</param>
/// <param name="Title">Its title.</param>
/// <param name="Analyte">Keyword of the analyte of its first triggering result, when known.</param>
public sealed record TimelineAlert(string AlertId, int Day, AlertSeverity Severity, AlertStatus Status, string Title, string? Analyte);

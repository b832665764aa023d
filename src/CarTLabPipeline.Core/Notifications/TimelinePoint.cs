namespace CarTLabPipeline.Notifications;

/// <summary>One value of a <see cref="TimelineSeries"/>.</summary>
/// <param name="ResultId">The result it belongs to (the same for every version).</param>
/// <param name="Day">Day since day 0 of the current follow-up.</param>
/// <param name="Value">The value in the series' unit; for a censored value, the bound.</param>
/// <param name="Censored">The value is an upper bound (<c>&lt;0.01 %</c>, not detected): draw it as such, never as a measured value.</param>
/// <param name="Corrected">The current value replaces an earlier version the lab sent.</param>
/// <param name="Superseded">An earlier version that a correction replaced: not part of the record, shown so that the change is visible.</param>
public sealed record TimelinePoint(string ResultId, int Day, double Value, bool Censored, bool Corrected, bool Superseded);


namespace CarTLabPipeline.Notifications;

/// <summary>One result on the chart. <see cref="BelowDetection"/>: the value is an upper bound (not detected / "&lt;").</summary>
public sealed record TrendPoint(int Day, double Value, bool BelowDetection, bool IsTrigger);

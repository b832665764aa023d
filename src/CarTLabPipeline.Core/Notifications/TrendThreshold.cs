
namespace CarTLabPipeline.Notifications;

/// <summary>The line the rule compares against, with its label (e.g. <c>300 mg/dL: replacement threshold</c>).</summary>
public sealed record TrendThreshold(double Value, string Label);


namespace CarTLabPipeline.Notifications;

/// <summary>A treatment event on a chart: its day and a short label (<c>CRS G2</c>, <c>Ig start (IVIG)</c>).</summary>
public sealed record TrendEvent(int Day, string Label);

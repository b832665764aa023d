
namespace CarTLabPipeline.Notifications;

/// <summary>What a trend chart shows: one analyte against days since infusion, with a threshold and marked points.</summary>
public sealed record TrendChart
{
    public required string Title { get; init; }

    /// <summary>Unit as clinicians write it (axis label).</summary>
    public required string Unit { get; init; }

    /// <summary>Draw the value axis on a log scale (MRD spans several decades).</summary>
    public bool LogScale { get; init; }

    public required IReadOnlyList<TrendPoint> Points { get; init; }

    public TrendThreshold? Threshold { get; init; }

    /// <summary>Treatment events within the plotted days (day 0 or the first point … the last point), drawn as vertical markers.</summary>
    public IReadOnlyList<TrendEvent> Events { get; init; } = [];

    /// <summary>Day 0 of the x axis: the infusion, or the second infusion / HSCT that started the current follow-up.</summary>
    public string DayZeroLabel { get; init; } = "infusion";
}

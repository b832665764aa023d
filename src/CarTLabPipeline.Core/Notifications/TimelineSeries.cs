namespace CarTLabPipeline.Notifications;

/// <summary>One analyte of a <see cref="TimelineView"/>.</summary>
/// <param name="Analyte">The analyte's keyword (<c>mrd</c>, <c>igg</c>…).</param>
/// <param name="Title">Its display name (<c>IgG</c>, <c>MRD</c>).</param>
/// <param name="Unit">Unit as clinicians write it.</param>
/// <param name="LogScale">Draw the value axis on a log scale (MRD spans several decades).</param>
/// <param name="Threshold">The line a rule marks for the timeline, in <paramref name="Unit"/>.</param>
/// <param name="Points">Current values in time order, then the superseded versions of corrected results.</param>
public sealed record TimelineSeries(
    string Analyte,
    string Title,
    string Unit,
    bool LogScale,
    TrendThreshold? Threshold,
    IReadOnlyList<TimelinePoint> Points);

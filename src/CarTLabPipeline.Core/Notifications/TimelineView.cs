namespace CarTLabPipeline.Notifications;

/// <summary>
/// A patient's timeline as data for the workspace's patient page (<c>GET /api/patients/{id}/timeline</c>): every followed
/// analyte against days since day 0 of the current follow-up, the treatment events and the patient's alerts. The browser
/// draws it. Property names are the JSON names (camelCase, <c>PipelineJson</c>).
/// </summary>
/// <param name="PatientId">The patient.</param>
/// <param name="Product">CAR-T product of the enrollment.</param>
/// <param name="DayZero">Day 0 of the current follow-up, in the patient's time zone.</param>
/// <param name="DayZeroLabel">What day 0 is: <c>infusion</c>, <c>2nd infusion</c> or <c>allo-HSCT</c>.</param>
/// <param name="Series">One per followed analyte with values, in the order a haematologist reads them.</param>
/// <param name="Events">Treatment events of the enrollment, by day (one marker per day and kind).</param>
/// <param name="Alerts">The patient's alerts that rest on a result, by day, oldest first.</param>
public sealed record TimelineView(
    string PatientId,
    string Product,
    DateOnly DayZero,
    string DayZeroLabel,
    IReadOnlyList<TimelineSeries> Series,
    IReadOnlyList<TrendEvent> Events,
    IReadOnlyList<TimelineAlert> Alerts);

using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.Notifications;

/// <summary>A patient's followed analytes by day since infusion (<see cref="PatientTimelineService"/>).</summary>
/// <param name="Enrollment">The enrollment.</param>
/// <param name="FollowUp">The current follow-up: its day 0 is the one the days count from.</param>
/// <param name="StoredResults">How many current results are stored (withdrawn ones aside).</param>
/// <param name="Series">Per followed analyte with evaluable values, in catalogue order: the values in time order.</param>
/// <param name="Charts">The trend charts (empty when no followed analyte has values).</param>
public sealed record PatientTimeline(
    Enrollment Enrollment,
    FollowUp FollowUp,
    int StoredResults,
    IReadOnlyList<(AnalyteInfo Analyte, IReadOnlyList<LabResult> Values)> Series,
    IReadOnlyList<TrendChart> Charts)
{
    /// <summary>Days since this follow-up's day 0.</summary>
    public int Day(DateOnly date) => date.DayNumber - FollowUp.DayZero.DayNumber;
}

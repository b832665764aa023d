
namespace CarTLabPipeline.Evaluation;

/// <summary>A patient's follow-up schedule now, with what it counts from.</summary>
/// <param name="PatientId">The patient.</param>
/// <param name="DayZero">Day 0 of the current follow-up.</param>
/// <param name="FollowUp">What day 0 is: <c>the infusion of 2024-08-27</c>, <c>the second infusion of …</c>.</param>
/// <param name="Today">Today's date in the patient's time zone.</param>
/// <param name="TodayDay">Today's day +N.</param>
/// <param name="FollowedSince">The date the pipeline began following the patient: windows closed before are <c>missed</c>.</param>
/// <param name="CarT">False after an allogeneic HSCT: the CAR-T schedule has ended and <paramref name="Lines"/> is empty.</param>
/// <param name="Lines">Every timepoint, in day order.</param>
public sealed record PatientSchedule(string PatientId, DateOnly DayZero, string FollowUp, DateOnly Today, int TodayDay, DateOnly? FollowedSince, bool CarT,
    IReadOnlyList<ScheduleLine> Lines);

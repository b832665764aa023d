using CarTLabPipeline.Patients;

namespace CarTLabPipeline.Rules;

/// <summary>
/// One follow-up of a patient: from <paramref name="DayZero"/> (the infusion, a second infusion or an allogeneic HSCT) to the
/// day before <paramref name="EndsOn"/> (the next day 0; null for the current follow-up).
/// </summary>
/// <param name="DayZero">Day 0, in the patient's time zone.</param>
/// <param name="StartedBy">The second infusion or HSCT that started it; null for the first infusion.</param>
/// <param name="EndsOn">The next follow-up's day 0, or null.</param>
public sealed record FollowUp(DateOnly DayZero, TreatmentEvent? StartedBy, DateOnly? EndsOn)
{
    /// <summary>False after an allogeneic HSCT: CAR-T-specific rules say nothing.</summary>
    public bool IsCarT => StartedBy?.Kind != TreatmentEventKind.AllogeneicHsct;

    /// <summary><c>the infusion</c>, <c>the second infusion</c>, <c>the allogeneic HSCT</c>, with its date.</summary>
    public string Describe() => (StartedBy?.Kind switch
    {
        TreatmentEventKind.SecondInfusion => "the second infusion",
        TreatmentEventKind.AllogeneicHsct => "the allogeneic HSCT",
        _ => "the infusion",
    }) + " of " + DayZero.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}


namespace CarTLabPipeline.Patients;

/// <summary>The outcome of recording an event, with the enrollment as stored afterwards.</summary>
public sealed record EventAddResult(EventAddOutcome Outcome, Enrollment Enrollment, TreatmentEvent Event);


namespace CarTLabPipeline.Patients;

/// <summary>A member of the care team who receives the patient's alerts.</summary>
public sealed record CareTeamMember(string Name, string Email);

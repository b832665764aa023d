
namespace CarTLabPipeline.Patients;

/// <summary>What <see cref="EnrollmentService.AddEventAsync"/> did.</summary>
public enum EventAddOutcome
{
    /// <summary>A new event was stored (HTTP 201).</summary>
    Added,
    /// <summary>The same event was already stored; nothing changed (HTTP 200).</summary>
    AlreadyPresent,
    /// <summary>An event of the same identity had another grade or note; it was replaced (HTTP 200).</summary>
    Updated,
}

namespace CarTLabPipeline.Ports;

/// <summary>Body of a <c>patient-evaluations</c> message (docs/design.md §2).</summary>
public sealed record EvaluationRequest(string PatientId, string Reason)
{
    public const string ReasonResults = "results";
    public const string ReasonEnrollment = "enrollment";

    /// <summary>A treatment event was recorded on the enrollment.</summary>
    public const string ReasonEvent = "event";
    public const string ReasonMonitoring = "monitoring";
}

/// <summary>
/// Body of an <c>alert-notifications</c> message: the alert id (docs/design.md §2), plus the patient id so the alert row is read
/// by its key; a message with the id alone is served by a lookup.
/// </summary>
public sealed record NotificationRequest(string AlertId, string? PatientId);

namespace CarTLabPipeline.Ports;

/// <summary>
/// Body of an <c>alert-notifications</c> message: the alert id (docs/design.md §2), plus the patient id so the alert row is read
/// by its key; a message with the id alone is served by a lookup.
/// </summary>
public sealed record NotificationRequest(string AlertId, string? PatientId);

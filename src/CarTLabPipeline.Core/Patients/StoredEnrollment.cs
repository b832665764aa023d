namespace CarTLabPipeline.Patients;

/// <summary>An enrollment as stored, with its concurrency tag.</summary>
public sealed record StoredEnrollment(Enrollment Enrollment, string ETag);

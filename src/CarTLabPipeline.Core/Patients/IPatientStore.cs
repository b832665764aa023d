namespace CarTLabPipeline.Patients;

/// <summary>The <c>Patients</c> table.</summary>
public interface IPatientStore
{
    Task<Enrollment?> GetAsync(string patientId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the patient is enrolled. Enrollments are never removed, so a store may remember a "yes" (not a "no"): the
    /// ingestion check then costs one read per patient per host, not one per file.
    /// </summary>
    Task<bool> IsEnrolledAsync(string patientId, CancellationToken cancellationToken);

    Task UpsertAsync(Enrollment enrollment, CancellationToken cancellationToken);

    /// <summary>The enrollment with its concurrency tag, for a read-modify-write (<see cref="TryReplaceAsync"/>); null when not enrolled.</summary>
    Task<StoredEnrollment?> GetForUpdateAsync(string patientId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the enrollment only if it has not changed since it was read with <paramref name="etag"/>; false when it
    /// has (read it again and retry).
    /// </summary>
    Task<bool> TryReplaceAsync(Enrollment enrollment, string etag, CancellationToken cancellationToken);

    IAsyncEnumerable<Enrollment> ListAsync(CancellationToken cancellationToken);
}

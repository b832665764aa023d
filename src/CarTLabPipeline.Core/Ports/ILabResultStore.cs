using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Ports;

/// <summary>
/// The <c>LabResults</c> table: one partition per patient, one row per version of a result (append-only: a version is
/// keyed by result id + version id, so storing it again rewrites the same row and never touches another version). The
/// current record is resolved where the history is read anyway (<see cref="LabRecord"/>), so an ingest needs no read.
/// </summary>
public interface ILabResultStore
{
    /// <summary>
    /// Stores result versions of ONE patient in as few atomic batches as the store allows (insert, or replace the same
    /// version).
    /// </summary>
    /// <exception cref="ArgumentException">The results belong to more than one patient.</exception>
    Task UpsertAsync(string patientId, IReadOnlyCollection<LabResult> results, CancellationToken cancellationToken);

    /// <summary>
    /// Every stored version of every result of the patient, whole and in no particular order, as long as the record holds
    /// at most <paramref name="maxVersions"/> versions. The store stops reading as soon as it holds more (it reads at most
    /// <paramref name="maxVersions"/> + 1 versions, whatever the record's size) and says so (<see cref="RecordRead.TooLarge"/>,
    /// no version kept): what a read holds is bounded by the limit, never by the record (a misrouted feed can send a patient
    /// a million results). There is no unbounded read.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxVersions"/> is below 1.</exception>
    Task<RecordRead> GetVersionsAsync(string patientId, int maxVersions, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="GetVersionsAsync"/> as the evaluation reads the record — and an alert's chart, the timeline, the schedule:
    /// every reader but the one that shows where each version came from. A store may leave out the two texts each version has of its own that neither a rule nor an alert reads — where it was
    /// in its file (<see cref="LabResult.SourceSegment"/>) and the lab's identity of it (<see cref="LabResult.Identity"/>),
    /// which is kept for a cancelled version (the alert on a withdrawal that matches nothing quotes it). On a large record
    /// they are a quarter of what a version holds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxVersions"/> is below 1.</exception>
    Task<RecordRead> GetVersionsForEvaluationAsync(string patientId, int maxVersions, CancellationToken cancellationToken);
}

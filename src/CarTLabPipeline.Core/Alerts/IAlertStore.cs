using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Alerts;

/// <summary>The <c>Alerts</c> table: partition = patient, row = alert id. The row is the notification outbox.</summary>
public interface IAlertStore
{
    Task<StoredAlert?> GetAsync(string patientId, string alertId, CancellationToken cancellationToken);

    /// <summary>Looks an alert up by id alone (cross-partition; for messages that carry only the id).</summary>
    Task<StoredAlert?> FindAsync(string alertId, CancellationToken cancellationToken);

    /// <summary>Inserts if absent: false when a row with the id exists (the atomic dedupe of docs/design.md §2).</summary>
    Task<bool> TryAddAsync(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the row if its ETag is unchanged and returns the new ETag; null on a concurrent change (412), so the caller
    /// re-reads.
    /// </summary>
    Task<string?> TryUpdateAsync(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries, string etag, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredAlert>> ListForPatientAsync(string patientId, CancellationToken cancellationToken);

    IAsyncEnumerable<StoredAlert> ListAsync(CancellationToken cancellationToken);
}

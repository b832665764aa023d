using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;

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

    /// <summary>Every stored version of every result of the patient, in no particular order.</summary>
    Task<IReadOnlyList<LabResult>> GetVersionsAsync(string patientId, CancellationToken cancellationToken);
}

/// <summary>Reading the record through <see cref="ILabResultStore"/>.</summary>
public static class LabResultStoreExtensions
{
    /// <summary>The patient's record: every version read in one query and resolved (<see cref="LabRecord.Resolve"/>).</summary>
    public static async Task<LabRecord> GetRecordAsync(this ILabResultStore store, string patientId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        return LabRecord.Resolve(await store.GetVersionsAsync(patientId, cancellationToken).ConfigureAwait(false));
    }
}

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

/// <summary>An enrollment as stored, with its concurrency tag.</summary>
public sealed record StoredEnrollment(Enrollment Enrollment, string ETag);

/// <summary>An alert row with its outbox (deliveries) and concurrency tag.</summary>
public sealed record StoredAlert(Alert Alert, IReadOnlyDictionary<string, Delivery> Deliveries, string ETag);

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

/// <summary>The <c>IngestedFiles</c> ledger: one row per content hash, one per blob name seen.</summary>
public interface IFileLedger
{
    /// <summary>Claims the content hash for processing: false when a row exists (then read it with <see cref="GetAsync"/>).</summary>
    Task<bool> TryBeginAsync(IngestionReport report, CancellationToken cancellationToken);

    Task<IngestionReport?> GetAsync(string contentSha256, CancellationToken cancellationToken);

    /// <summary>Writes the final state of a file (counts, errors, status).</summary>
    Task CompleteAsync(IngestionReport report, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the row of a content with <paramref name="replacement"/> if it still holds the claim <paramref name="current"/>
    /// (same status, start and attempt count, compared atomically): false when another attempt changed the row first or
    /// it is gone. Taking over a stale claim and recording a failed attempt go through here.
    /// </summary>
    Task<bool> TryReplaceClaimAsync(IngestionReport current, IngestionReport replacement, CancellationToken cancellationToken);

    /// <summary>Records that blob <paramref name="blobName"/> at version <paramref name="etag"/> was handled.</summary>
    Task RecordBlobAsync(string blobName, string? etag, string contentSha256, CancellationToken cancellationToken);

    /// <summary>
    /// Every blob name handled, with the ETag it had (for the reconciliation sweep; compare with <see cref="ETags.Same"/>:
    /// the text of one version differs between a header and a listing).
    /// </summary>
    Task<IReadOnlyDictionary<string, string?>> GetHandledBlobsAsync(CancellationToken cancellationToken);
}

/// <summary>A lab file to ingest: a blob, or a local file in tests.</summary>
public interface ILabFileSource
{
    /// <summary>Name under the drop zone, e.g. <c>hospital-lab/2024-10-11.csv</c>.</summary>
    string Name { get; }

    /// <summary>Version tag of the content (blob ETag), when there is one.</summary>
    string? ETag { get; }

    /// <summary>Opens the content for reading. May be called more than once.</summary>
    Task<Stream> OpenReadAsync(CancellationToken cancellationToken);
}

/// <summary>The drop zone and the rejected-files container.</summary>
public interface ILabFileStore
{
    /// <summary>Every blob in the drop zone with its ETag.</summary>
    IAsyncEnumerable<ILabFileSource> ListAsync(CancellationToken cancellationToken);

    /// <summary>Uploads (or overwrites) a file into the drop zone and returns it as a source.</summary>
    Task<ILabFileSource> UploadAsync(string name, Stream content, CancellationToken cancellationToken);

    /// <summary>A file already in the drop zone, or null.</summary>
    Task<ILabFileSource?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Copies the original into the rejected container and writes <c>&lt;name&gt;.errors.json</c> beside it.</summary>
    Task SaveRejectionAsync(ILabFileSource source, IngestionReport report, CancellationToken cancellationToken);

    /// <summary>The rejection reports in the rejected container.</summary>
    IAsyncEnumerable<IngestionReport> ListRejectionsAsync(CancellationToken cancellationToken);
}

/// <summary>A storage queue of the pipeline (messages are JSON).</summary>
public interface IPipelineQueue
{
    /// <summary>Sends <paramref name="message"/>, made visible after <paramref name="delay"/> when given.</summary>
    Task SendAsync<T>(string queueName, T message, TimeSpan? delay, CancellationToken cancellationToken);
}

/// <summary>
/// A channel alert events are delivered on: the Service Bus topic (the <c>lab-alerts</c> queue locally), or email.
/// </summary>
public interface IAlertPublisher
{
    /// <summary>Name of the channel in the alert's delivery ledger.</summary>
    string Channel { get; }

    /// <summary>
    /// True when each recipient gets a delivery of its own (email: one ledger entry per address); false when one
    /// delivery per event serves every consumer (a topic).
    /// </summary>
    bool AddressesRecipients { get; }

    /// <summary>
    /// Publishes one delivery of an alert event (<see cref="Delivery.Event"/> is <see cref="AlertEvents.Raised"/> or
    /// <see cref="AlertEvents.Retracted"/>; <see cref="Delivery.Recipient"/> is set when <see cref="AddressesRecipients"/>).
    /// Returns the provider's message id when it gives one.
    /// </summary>
    /// <exception cref="DeliveryException">The provider refused or failed; says whether and when to retry.</exception>
    Task<string?> PublishAsync(Alert alert, Delivery delivery, CancellationToken cancellationToken);
}

/// <summary>Sends one email (SendGrid or an SMTP relay).</summary>
public interface IEmailSender
{
    /// <summary>Sends <paramref name="message"/>; returns the provider's message id when it gives one.</summary>
    /// <exception cref="DeliveryException">The provider refused or failed; says whether and when to retry.</exception>
    Task<string?> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>Draws a trend chart as PNG (the email's inline chart, <c>cartlab timeline --png</c>, the timeline API).</summary>
public interface ITrendChartRenderer
{
    byte[] RenderPng(TrendChart chart, int width, int height);

    /// <summary>Several charts stacked in one image (a patient's timeline), each <paramref name="panelHeight"/> high.</summary>
    byte[] RenderPng(IReadOnlyList<TrendChart> charts, int width, int panelHeight);
}

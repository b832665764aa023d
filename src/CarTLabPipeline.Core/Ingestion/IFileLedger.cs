namespace CarTLabPipeline.Ingestion;

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

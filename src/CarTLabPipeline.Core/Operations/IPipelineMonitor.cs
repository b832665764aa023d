using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Operations;

/// <summary>Read-only views of the queues and the file ledger for <see cref="PipelineStatusService"/>.</summary>
public interface IPipelineMonitor
{
    /// <summary>A queue's depth and oldest message (a missing queue is empty); with <paramref name="readReasons"/>, the newest <c>reason</c>.</summary>
    Task<QueueStatus> GetQueueStatusAsync(string queueName, bool readReasons, CancellationToken cancellationToken);

    /// <summary>
    /// Whether storage answers a read (the cheapest one: a page of one row of a table): null when it does, else what it
    /// said ("403 AuthorizationPermissionMismatch"). A refusal is a value, not an exception (<c>GET /api/health</c>).
    /// </summary>
    Task<string?> ProbeStorageAsync(CancellationToken cancellationToken);

    /// <summary>Every file report in the ledger (one per content hash).</summary>
    IAsyncEnumerable<IngestionReport> ListFileReportsAsync(CancellationToken cancellationToken);
}

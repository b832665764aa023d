using Azure;
using Azure.Data.Tables;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary>
/// <see cref="IFileLedger"/> on the <c>IngestedFiles</c> table. Partition <c>content</c>: one row per SHA-256 of file
/// content (status, counts, the first errors). Partition <c>blob</c>: one row per blob name (escaped) with the ETag and
/// content hash it was handled at — what the reconciliation sweep compares the drop zone against.
/// </summary>
public sealed class TableFileLedger(StorageClients clients) : IFileLedger
{
    internal const string ContentPartition = "content";
    internal const string BlobPartition = "blob";

    /// <summary>Errors kept in the row (a string property holds at most 64 KiB); the full list is in the rejection report.</summary>
    private const int ErrorsInRow = 20;
    private const int UnknownPatientsInRow = 200;
    private const int MaxJsonChars = 30_000;

    private readonly TableClient _table = clients.Tables.GetTableClient(PipelineNames.Tables.IngestedFiles);

    public Task<bool> TryBeginAsync(IngestionReport report, CancellationToken cancellationToken) =>
        _table.TryAddEntityAsync(ToEntity(report), cancellationToken);

    public async Task<IngestionReport?> GetAsync(string contentSha256, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(ContentPartition, contentSha256, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? PipelineJson.Deserialize<IngestionReport>(response.Value!.GetString("Json")) : null;
    }

    public Task CompleteAsync(IngestionReport report, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(ToEntity(report), TableUpdateMode.Replace, cancellationToken);

    public async Task<bool> TryReplaceClaimAsync(IngestionReport current, IngestionReport replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(replacement);
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(ContentPartition, current.ContentSha256, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue || PipelineJson.Deserialize<IngestionReport>(response.Value!.GetString("Json")) is not { } held ||
            held.Status != current.Status || held.StartedAt != current.StartedAt || held.Attempts != current.Attempts)
        {
            return false;
        }

        try
        {
            // Conditional on the ETag read: of two attempts replacing the same claim, one wins.
            await _table.UpdateEntityAsync(ToEntity(replacement), response.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    public Task RecordBlobAsync(string blobName, string? etag, string contentSha256, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(BlobPartition, TableKeys.Escape(blobName))
        {
            ["BlobETag"] = etag,
            ["ContentSha256"] = contentSha256,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyDictionary<string, string?>> GetHandledBlobsAsync(CancellationToken cancellationToken)
    {
        var handled = new Dictionary<string, string?>(StringComparer.Ordinal);
        var rows = _table.QueryAsync<TableEntity>($"PartitionKey eq '{BlobPartition}'", select: ["RowKey", "BlobETag"], cancellationToken: cancellationToken);
        await foreach (var e in rows.ConfigureAwait(false))
        {
            handled[TableKeys.Unescape(e.RowKey)] = e.GetString("BlobETag");
        }

        return handled;
    }

    /// <summary>
    /// The ledger row keeps the counts and a sample of the lists (first errors, first unknown patients): a table property
    /// holds at most 32K characters, and a file naming thousands of unknown patients must not fail its own bookkeeping.
    /// The full error list is in <c>lab-results-rejected/&lt;name&gt;.errors.json</c>.
    /// </summary>
    internal static TableEntity ToEntity(IngestionReport report)
    {
        int errors = ErrorsInRow, unknown = UnknownPatientsInRow;
        string json;
        do
        {
            json = PipelineJson.Serialize(report with
            {
                Errors = report.Errors.Take(errors).ToList(),
                UnknownPatients = report.UnknownPatients.Take(unknown).ToList(),
            });
            (errors, unknown) = (errors / 2, unknown / 2);
        }
        while (json.Length > MaxJsonChars && (errors > 0 || unknown > 0));

        return new TableEntity(ContentPartition, report.ContentSha256)
        {
            ["File"] = report.File,
            ["Status"] = report.Status.ToString().ToLowerInvariant(),
            ["Stored"] = report.Stored,
            ["Rejected"] = report.Rejected,
            ["UnknownPatientCount"] = report.UnknownPatients.Count,
            ["Json"] = json,
        };
    }
}

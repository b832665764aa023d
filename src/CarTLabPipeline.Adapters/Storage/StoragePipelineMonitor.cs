using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues.Models;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Operations;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary>
/// <see cref="IPipelineMonitor"/> on Storage: a queue's approximate count and the first 32 messages peeked (the front of
/// the queue, so the oldest); the ledger's <c>content</c> partition of <c>IngestedFiles</c>.
/// </summary>
public sealed class StoragePipelineMonitor(StorageClients clients) : IPipelineMonitor
{
    private const int PeekCount = 32;

    public async Task<QueueStatus> GetQueueStatusAsync(string queueName, bool readReasons, CancellationToken cancellationToken)
    {
        var queue = clients.Queues.GetQueueClient(queueName);
        try
        {
            var properties = await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
            var depth = properties.Value.ApproximateMessagesCount;
            if (depth == 0)
            {
                return new QueueStatus(queueName, 0, null, null);
            }

            PeekedMessage[] peeked = (await queue.PeekMessagesAsync(PeekCount, cancellationToken).ConfigureAwait(false)).Value;
            var oldest = peeked.Select(m => m.InsertedOn).Where(t => t is not null).Min();
            var reason = readReasons
                ? peeked.OrderByDescending(m => m.InsertedOn).Select(m => ReasonOf(m.Body)).FirstOrDefault(r => r is not null)
                : null;
            return new QueueStatus(queueName, depth, oldest, reason) { AllHeldBack = peeked.Length == 0 };
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new QueueStatus(queueName, 0, null, null);
        }
    }

    public async Task<string?> ProbeStorageAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in clients.Tables.GetTableClient(PipelineNames.Tables.Patients)
                .QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cancellationToken)
                .AsPages().ConfigureAwait(false))
            {
                break;
            }

            return null;
        }
        catch (RequestFailedException ex)
        {
            return $"{ex.Status} {ex.ErrorCode}".Trim();
        }
    }

    public async IAsyncEnumerable<IngestionReport> ListFileReportsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = clients.Tables.GetTableClient(PipelineNames.Tables.IngestedFiles);
        var rows = table.QueryAsync<TableEntity>($"PartitionKey eq '{TableFileLedger.ContentPartition}'", select: ["Json"], cancellationToken: cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            if (PipelineJson.Deserialize<IngestionReport>(row.GetString("Json")) is { } report)
            {
                yield return report;
            }
        }
    }

    /// <summary>The <c>reason</c> of a <c>{reason, message}</c> body the handlers write; null for anything else.</summary>
    internal static string? ReasonOf(BinaryData body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String
                ? r.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

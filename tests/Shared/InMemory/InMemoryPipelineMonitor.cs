using System.Text.Json;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Operations;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>
/// <see cref="IPipelineMonitor"/> over the in-memory queue and ledger, with the Storage adapter's semantics: the depth
/// counts visible and invisible messages; the oldest is by enqueue time among the visible ones (none visible: held back); a poison queue's newest reason is the
/// <c>reason</c> of the newest <c>{reason, message}</c> body.
/// </summary>
public sealed class InMemoryPipelineMonitor(InMemoryPipelineQueue queue, InMemoryFileLedger ledger) : IPipelineMonitor
{
    public Task<QueueStatus> GetQueueStatusAsync(string queueName, bool readReasons, CancellationToken cancellationToken)
    {
        var messages = queue.Peek(queueName);
        if (messages.Count == 0)
        {
            return Task.FromResult(new QueueStatus(queueName, 0, null, null));
        }

        // As a Storage queue shows them: the count is of every message, the oldest and the reasons of the visible ones.
        var now = queue.Time.GetUtcNow();
        var visible = messages.Where(m => m.VisibleFrom <= now).ToList();
        var reason = readReasons ? visible.OrderByDescending(m => m.Sequence).Select(m => ReasonOf(m.Json)).FirstOrDefault(r => r is not null) : null;
        var oldest = visible.Count == 0 ? (DateTimeOffset?)null : visible.Min(m => m.SentAt);
        return Task.FromResult(new QueueStatus(queueName, messages.Count, oldest, reason) { AllHeldBack = visible.Count == 0 });
    }

    /// <summary>What <see cref="ProbeStorageAsync"/> answers: null (storage answers) unless a test sets a refusal.</summary>
    public string? StorageRefusal { get; set; }

    public Task<string?> ProbeStorageAsync(CancellationToken cancellationToken) => Task.FromResult(StorageRefusal);

    public async IAsyncEnumerable<IngestionReport> ListFileReportsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var report in ledger.Reports())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return report;
            await Task.Yield();
        }
    }

    private static string? ReasonOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String
                ? r.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace CarTLabPipeline.Benchmarks;

/// <summary>
/// Counts every storage request the pipeline's SDK clients send (per retry: a retried request is billed again), keyed by
/// service, resource and method — e.g. <c>table LabResults POST</c> ($batch), <c>queue patient-evaluations POST</c>.
/// </summary>
public sealed class StorageRequestCounter(int blobPort, int queuePort, int tablePort) : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public long Total => _counts.Values.Sum();

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    public void Reset() => _counts.Clear();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Count(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Count(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var service = uri.Port == tablePort ? "table" : uri.Port == queuePort ? "queue" : uri.Port == blobPort ? "blob" : uri.Host;
        var resource = segments.Length > 1 ? segments[1].Split('(')[0] : "(account)";
        if (resource.StartsWith("$batch", StringComparison.Ordinal))
        {
            resource = "$batch";
        }

        _counts.AddOrUpdate($"{service,-5} {resource} {message.Request.Method}", 1, (_, n) => n + 1);
    }
}

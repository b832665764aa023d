using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>
/// <see cref="ILabFileStore"/> in memory, with the semantics of <c>BlobLabFileStore</c>: the drop zone and the rejected
/// container as name → content + ETag (listed in name order); an upload overwrites and gives the blob a new ETag; a source
/// reads the content at the ETag it was listed or uploaded with, and fails once the blob has changed (412) or is gone
/// (404); a rejection copies the original and writes <c>&lt;name&gt;.errors.json</c> beside it. Thread-safe.
/// </summary>
/// <remarks>
/// As with the blob adapter, <see cref="ListAsync"/> gives ETags in the listing's form (<c>0x…</c>) and
/// <see cref="UploadAsync(string, Stream, CancellationToken)"/> and <see cref="GetAsync"/> in the header's form
/// (<c>"0x…"</c>); both name the same version and both read the content.
/// </remarks>
public sealed class InMemoryLabFileStore : ILabFileStore
{
    public const string ReportSuffix = ".errors.json";

    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, Blob> _drop = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Blob> _rejected = new(StringComparer.Ordinal);
    private long _version;

    public async IAsyncEnumerable<ILabFileSource> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<(string Name, Blob Blob)> blobs;
        lock (_lock)
        {
            blobs = [.. _drop.Select(b => (b.Key, b.Value))];
        }

        foreach (var (name, blob) in blobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new Source(this, name, blob.ETag.Trim('"'));
        }
    }

    public async Task<ILabFileSource> UploadAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(content);
        var bytes = await ReadAllAsync(content, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            var blob = new Blob(bytes, NextETag());
            _drop[name] = blob;
            return new Source(this, name, blob.ETag);
        }
    }

    /// <summary>Uploads UTF-8 text into the drop zone (test helper).</summary>
    public Task<ILabFileSource> UploadAsync(string name, string content, CancellationToken cancellationToken = default) =>
        UploadAsync(name, new MemoryStream(Encoding.UTF8.GetBytes(content)), cancellationToken);

    public Task<ILabFileSource?> GetAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<ILabFileSource?>(_drop.TryGetValue(name, out var blob) ? new Source(this, name, blob.ETag) : null);
        }
    }

    public async Task SaveRejectionAsync(ILabFileSource source, IngestionReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(report);
        byte[] original;
        await using (var content = await source.OpenReadAsync(cancellationToken).ConfigureAwait(false))
        {
            original = await ReadAllAsync(content, cancellationToken).ConfigureAwait(false);
        }

        var json = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(report, PipelineJson.Indented));
        lock (_lock)
        {
            _rejected[source.Name] = new Blob(original, NextETag());
            _rejected[source.Name + ReportSuffix] = new Blob(json, NextETag());
        }
    }

    public async IAsyncEnumerable<IngestionReport> ListRejectionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<Blob> reports;
        lock (_lock)
        {
            reports = [.. _rejected.Where(b => b.Key.EndsWith(ReportSuffix, StringComparison.Ordinal)).Select(b => b.Value)];
        }

        foreach (var blob in reports)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            if (PipelineJson.Deserialize<IngestionReport>(Encoding.UTF8.GetString(blob.Content)) is { } report)
            {
                yield return report;
            }
        }
    }

    /// <summary>Names of the blobs in the drop zone (test helper).</summary>
    public IReadOnlyList<string> Names()
    {
        lock (_lock)
        {
            return [.. _drop.Keys];
        }
    }

    /// <summary>Names of the blobs in the rejected container: copies and their reports (test helper).</summary>
    public IReadOnlyList<string> RejectedNames()
    {
        lock (_lock)
        {
            return [.. _rejected.Keys];
        }
    }

    /// <summary>Content of a blob in the rejected container, or null (test helper).</summary>
    public byte[]? ReadRejected(string name)
    {
        lock (_lock)
        {
            return _rejected.TryGetValue(name, out var blob) ? [.. blob.Content] : null;
        }
    }

    /// <summary>Deletes a blob from the drop zone (test helper): sources of it fail to read afterwards.</summary>
    public bool Delete(string name)
    {
        lock (_lock)
        {
            return _drop.Remove(name);
        }
    }

    private byte[] Read(string name, string? etag)
    {
        lock (_lock)
        {
            if (!_drop.TryGetValue(name, out var blob))
            {
                throw new FileNotFoundException($"blob '{name}' does not exist (404)", name);
            }

            if (etag is not null && !string.Equals(etag.Trim('"'), blob.ETag.Trim('"'), StringComparison.Ordinal))
            {
                throw new IOException($"blob '{name}' changed since it was listed: ETag {etag} is now {blob.ETag} (412)");
            }

            return blob.Content;
        }
    }

    /// <summary>A blob ETag in the service's form (a quoted hex number), different on every write.</summary>
    private string NextETag() => string.Create(CultureInfo.InvariantCulture, $"\"0x{++_version:X16}\"");

    private static async Task<byte[]> ReadAllAsync(Stream content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private sealed record Blob(byte[] Content, string ETag);

    private sealed class Source(InMemoryLabFileStore store, string name, string? etag) : ILabFileSource
    {
        public string Name => name;

        public string? ETag => etag;

        public Task<Stream> OpenReadAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult<Stream>(new MemoryStream(store.Read(name, etag), writable: false));
        }
    }
}

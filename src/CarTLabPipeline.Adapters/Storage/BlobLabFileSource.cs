using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary>A blob in the drop zone as an <see cref="ILabFileSource"/>; reads are pinned to the ETag it was listed with.</summary>
public sealed class BlobLabFileSource(BlobClient blob, string? etag) : ILabFileSource
{
    public string Name => blob.Name;

    public string? ETag => etag;

    /// <summary>Creates a source for a triggered blob, reading its current ETag.</summary>
    public static async Task<BlobLabFileSource> FromBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return new BlobLabFileSource(blob, properties.Value.ETag.ToString());
    }

    public async Task<Stream> OpenReadAsync(CancellationToken cancellationToken)
    {
        var conditions = etag is null ? null : new BlobRequestConditions { IfMatch = new ETag(etag) };
        var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Conditions = conditions }, cancellationToken).ConfigureAwait(false);
        return download.Value.Content;
    }
}

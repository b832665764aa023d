using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary><see cref="ILabFileStore"/> on the <c>lab-results</c> and <c>lab-results-rejected</c> containers.</summary>
public sealed class BlobLabFileStore(StorageClients clients) : ILabFileStore
{
    public const string ReportSuffix = ".errors.json";

    private readonly BlobContainerClient _drop = clients.Blobs.GetBlobContainerClient(PipelineNames.Containers.LabResults);
    private readonly BlobContainerClient _rejected = clients.Blobs.GetBlobContainerClient(PipelineNames.Containers.Rejected);

    public async IAsyncEnumerable<ILabFileSource> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _drop.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return new BlobLabFileSource(_drop.GetBlobClient(item.Name), item.Properties.ETag?.ToString());
        }
    }

    public async Task<ILabFileSource> UploadAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        var blob = _drop.GetBlobClient(name);
        var info = await blob.UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
        return new BlobLabFileSource(blob, info.Value.ETag.ToString());
    }

    public async Task<ILabFileSource?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var blob = _drop.GetBlobClient(name);
        try
        {
            return await BlobLabFileSource.FromBlobAsync(blob, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task SaveRejectionAsync(ILabFileSource source, IngestionReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using (var content = await source.OpenReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await _rejected.GetBlobClient(source.Name).UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        var json = BinaryData.FromString(JsonSerializer.Serialize(report, PipelineJson.Indented));
        await _rejected.GetBlobClient(source.Name + ReportSuffix).UploadAsync(json, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
        }, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<IngestionReport> ListRejectionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in _rejected.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!item.Name.EndsWith(ReportSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var content = await _rejected.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            if (PipelineJson.Deserialize<IngestionReport>(content.Value.Content.ToString()) is { } report)
            {
                yield return report;
            }
        }
    }
}

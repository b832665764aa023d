using Azure.Storage.Blobs;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Ingestion;
using Microsoft.Azure.WebJobs;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>The blob trigger on the drop zone (polling locally; Event Grid in Azure). Only <c>cartlab serve</c> runs it.</summary>
public sealed class BlobFunctions(LabFileIngestionService ingestion, PipelineActivity activity)
{
    [FunctionName("IngestLabFile")]
    public async Task IngestLabFile([BlobTrigger(PipelineNames.Containers.LabResultsTriggerPath)] BlobClient blob, CancellationToken cancellationToken)
    {
        using var invocation = activity.Track(cancellationToken);
        var source = await BlobLabFileSource.FromBlobAsync(blob, invocation.Token).ConfigureAwait(false);
        await ingestion.IngestAsync(source, invocation.Token).ConfigureAwait(false);
    }
}

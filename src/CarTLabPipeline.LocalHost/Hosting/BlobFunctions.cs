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
        await activity.RunAsync(cancellationToken, async ct =>
        {
            try
            {
                var source = await BlobLabFileSource.FromBlobAsync(blob, ct).ConfigureAwait(false);
                await ingestion.IngestAsync(source, ct).ConfigureAwait(false);
            }
            finally
            {
                // What reading the file freed in the C heap goes back before its patients are evaluated (issue 17).
                Local.NativeMethods.TrimNativeHeap();
            }
        }).ConfigureAwait(false);
    }
}

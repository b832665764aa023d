using Azure;
using Azure.Data.Tables;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary>
/// Creates the containers, queues (with their poison queues, so ops can watch them from day one) and tables of
/// docs/design.md §3. Idempotent. In Azure, Bicep creates them; locally, every <c>cartlab</c> command calls this.
/// </summary>
public sealed class StorageProvisioner(StorageClients clients)
{
    public async Task ProvisionAsync(CancellationToken cancellationToken)
    {
        var work = new List<Task>();
        foreach (var container in PipelineNames.Containers.All)
        {
            work.Add(clients.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        }

        foreach (var queue in PipelineNames.Queues.All)
        {
            work.Add(clients.Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
            if (PipelineNames.Queues.Triggered.Contains(queue))
            {
                work.Add(clients.Queues.GetQueueClient(queue + PipelineNames.Queues.PoisonSuffix).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
            }
        }

        foreach (var table in PipelineNames.Tables.All)
        {
            work.Add(CreateTableAsync(clients.Tables.GetTableClient(table), cancellationToken));
        }

        await Task.WhenAll(work).ConfigureAwait(false);
    }

    private static async Task CreateTableAsync(TableClient table, CancellationToken cancellationToken)
    {
        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Created concurrently by another host: fine.
        }
    }
}

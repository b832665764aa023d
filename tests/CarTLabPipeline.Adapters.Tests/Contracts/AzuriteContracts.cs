using Azure.Storage.Queues;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing;
using CarTLabPipeline.Testing.Contracts;

namespace CarTLabPipeline.Adapters.Tests.Contracts;

// The Azure adapters against the port contracts, on one shared Azurite: the same tests the in-memory fakes pass
// (InMemoryContracts.cs).

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public class TableLabResultStoreContract(AzuriteFixture azurite) : LabResultStoreContract
{
    private readonly TableRowsAskedFor _rows = new(PipelineNames.Tables.LabResults);

    /// <summary>What the store's queries asked the table for (their <c>$top</c>): at least what it returned.</summary>
    protected override long? RowsRead => _rows.Total;

    protected override async Task<ILabResultStore> CreateStoreAsync()
    {
        await AzuriteStorage.ClientsAsync(azurite); // the tables, provisioned once
        return new TableLabResultStore(AzuriteStorage.Counted(azurite, _rows));
    }
}

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public class TablePatientStoreContract(AzuriteFixture azurite) : PatientStoreContract
{
    protected override async Task<IPatientStore> CreateStoreAsync() => new TablePatientStore(await AzuriteStorage.ClientsAsync(azurite));
}

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public class TableAlertStoreContract(AzuriteFixture azurite) : AlertStoreContract
{
    protected override async Task<IAlertStore> CreateStoreAsync() => new TableAlertStore(await AzuriteStorage.ClientsAsync(azurite));
}

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public class TableFileLedgerContract(AzuriteFixture azurite) : FileLedgerContract
{
    protected override async Task<IFileLedger> CreateLedgerAsync() => new TableFileLedger(await AzuriteStorage.ClientsAsync(azurite));
}

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public class BlobLabFileStoreContract(AzuriteFixture azurite) : LabFileStoreContract
{
    protected override async Task<ILabFileStore> CreateStoreAsync() => new BlobLabFileStore(await AzuriteStorage.ClientsAsync(azurite));
}

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public class StorageQueueContract(AzuriteFixture azurite) : PipelineQueueContract
{
    private StorageClients? _clients;

    protected override async Task<IPipelineQueue> CreateQueueAsync(IReadOnlyList<string> queueNames)
    {
        _clients = await AzuriteStorage.ClientsAsync(azurite);
        foreach (var name in queueNames)
        {
            await _clients.Queues.GetQueueClient(name).CreateIfNotExistsAsync();
        }

        return new StorageQueue(_clients);
    }

    protected override async Task<IReadOnlyList<string>> ReceiveAsync(string queueName)
    {
        QueueClient queue = _clients!.Queues.GetQueueClient(queueName);
        var bodies = new List<string>();
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value is { Length: > 0 } batch)
        {
            foreach (var message in batch)
            {
                bodies.Add(message.Body.ToString());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return bodies;
    }

    protected override Task WaitAsync(TimeSpan duration) => Task.Delay(duration);

    public override async Task DisposeAsync()
    {
        if (_clients is not null)
        {
            await _clients.Queues.GetQueueClient(QueueA).DeleteIfExistsAsync();
            await _clients.Queues.GetQueueClient(QueueB).DeleteIfExistsAsync();
        }
    }
}

[Collection(AzuriteCollection.Name)]
[Trait("Category", "Integration")]
public class StoragePipelineMonitorContract(AzuriteFixture azurite) : PipelineMonitorContract
{
    protected override async Task<(IPipelineQueue Queue, IFileLedger Ledger, Operations.IPipelineMonitor Monitor)> CreateAsync(IReadOnlyList<string> queueNames)
    {
        var clients = await AzuriteStorage.ClientsAsync(azurite);
        foreach (var name in queueNames)
        {
            await clients.Queues.GetQueueClient(name).CreateIfNotExistsAsync();
        }

        return (new StorageQueue(clients), new TableFileLedger(clients), new StoragePipelineMonitor(clients));
    }
}

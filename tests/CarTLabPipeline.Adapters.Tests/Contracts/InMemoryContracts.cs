using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing.Contracts;
using CarTLabPipeline.Testing.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace CarTLabPipeline.Adapters.Tests.Contracts;

// The in-memory fakes against the port contracts: the same tests the Azure adapters pass on Azurite (AzuriteContracts.cs).

public class InMemoryLabResultStoreContract : LabResultStoreContract
{
    private readonly InMemoryLabResultStore _store = new();

    protected override long? RowsRead => _store.RowsRead;

    protected override Task<ILabResultStore> CreateStoreAsync() => Task.FromResult<ILabResultStore>(_store);
}

public class InMemoryPatientStoreContract : PatientStoreContract
{
    protected override Task<IPatientStore> CreateStoreAsync() => Task.FromResult<IPatientStore>(new InMemoryPatientStore());
}

public class InMemoryAlertStoreContract : AlertStoreContract
{
    protected override Task<IAlertStore> CreateStoreAsync() => Task.FromResult<IAlertStore>(new InMemoryAlertStore());
}

public class InMemoryFileLedgerContract : FileLedgerContract
{
    protected override Task<IFileLedger> CreateLedgerAsync() => Task.FromResult<IFileLedger>(new InMemoryFileLedger());
}

public class InMemoryLabFileStoreContract : LabFileStoreContract
{
    protected override Task<ILabFileStore> CreateStoreAsync() => Task.FromResult<ILabFileStore>(new InMemoryLabFileStore());
}

public class InMemoryPipelineQueueContract : PipelineQueueContract
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2024, 10, 1, 8, 0, 0, TimeSpan.Zero));
    private InMemoryPipelineQueue? _queue;

    protected override Task<IPipelineQueue> CreateQueueAsync(IReadOnlyList<string> queueNames) =>
        Task.FromResult<IPipelineQueue>(_queue = new InMemoryPipelineQueue(_time));

    protected override Task<IReadOnlyList<string>> ReceiveAsync(string queueName) =>
        Task.FromResult<IReadOnlyList<string>>([.. _queue!.Receive(queueName).Select(m => m.Json)]);

    protected override Task WaitAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }
}

public class InMemoryPipelineMonitorContract : PipelineMonitorContract
{
    protected override Task<(IPipelineQueue Queue, IFileLedger Ledger, Operations.IPipelineMonitor Monitor)> CreateAsync(IReadOnlyList<string> queueNames)
    {
        var queue = new InMemoryPipelineQueue(new FakeTimeProvider(new DateTimeOffset(2024, 10, 1, 8, 0, 0, TimeSpan.Zero)));
        var ledger = new InMemoryFileLedger();
        return Task.FromResult<(IPipelineQueue, IFileLedger, Operations.IPipelineMonitor)>((queue, ledger, new InMemoryPipelineMonitor(queue, ledger)));
    }
}

using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Core.Tests.Ingestion;

public class PatientBatchWriterTests
{
    /// <summary>Records every batch; a write waits at <see cref="Gate"/> (open unless closed) and fails for <see cref="FailFor"/>.</summary>
    private sealed class RecordingStore : ILabResultStore
    {
        private readonly Lock _lock = new();
        private int _inFlight;

        public List<(string PatientId, List<LabResult> Batch)> Writes { get; } = [];

        public List<(string PatientId, int Index)> Started { get; } = [];

        public TaskCompletionSource Gate { get; set; } = Open();

        public string? FailFor { get; set; }

        public int MaxInFlight { get; private set; }

        public static TaskCompletionSource Open()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gate.SetResult();
            return gate;
        }

        public async Task UpsertAsync(string patientId, IReadOnlyCollection<LabResult> results, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                Started.Add((patientId, Started.Count));
                MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
            }

            try
            {
                await Gate.Task;
                if (patientId == FailFor)
                {
                    throw new InvalidOperationException("storage refused the batch");
                }

                lock (_lock)
                {
                    Writes.Add((patientId, [.. results]));
                }
            }
            finally
            {
                lock (_lock)
                {
                    _inFlight--;
                }
            }
        }

        public Task<RecordRead> GetVersionsAsync(string patientId, int maxVersions, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RecordRead> GetVersionsForEvaluationAsync(string patientId, int maxVersions, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static LabResult Result(string patientId, int day, decimal value = 300, int line = 0)
    {
        var r = TestData.Result(Analyte.IgG, day, value, patientId: patientId) with { SourceLine = line };
        return r with { VersionId = ResultIds.ForVersion(r) };
    }

    [Fact]
    public async Task BatchSize_IsRespected_PerPatient()
    {
        var store = new RecordingStore();
        var writer = new PatientBatchWriter(store, default, batchSize: 3);

        for (var day = 1; day <= 10; day++)
        {
            await writer.AddAsync(Result("PT-A", day));
        }

        Assert.Equal(10, await writer.CompleteAsync());
        Assert.Equal([3, 3, 3, 1], store.Writes.Select(w => w.Batch.Count));
        Assert.All(store.Writes, w => Assert.Equal("PT-A", w.PatientId));
    }

    [Fact]
    public async Task MaxBuffered_WritesEveryPatientsBuffer()
    {
        var store = new RecordingStore();
        var writer = new PatientBatchWriter(store, default, batchSize: 100, maxBuffered: 4);

        await writer.AddAsync(Result("PT-A", 1));
        await writer.AddAsync(Result("PT-B", 1));
        await writer.AddAsync(Result("PT-A", 2));
        Assert.Empty(store.Started);
        await writer.AddAsync(Result("PT-C", 1));

        Assert.Equal(3, store.Started.Count); // A (2), B (1), C (1): every buffer written
        await writer.CompleteAsync();
        Assert.Equal(4, store.Writes.Sum(w => w.Batch.Count));
    }

    [Fact]
    public async Task BatchesOfOnePatient_AreWrittenInOrder()
    {
        var store = new RecordingStore { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var writer = new PatientBatchWriter(store, default, batchSize: 2, maxConcurrentWrites: 4);

        for (var day = 1; day <= 6; day++)
        {
            await writer.AddAsync(Result("PT-A", day, line: day));
        }

        // Three batches handed over, but the second waits for the first: only one write has started.
        Assert.Single(store.Started);
        store.Gate.SetResult();
        await writer.CompleteAsync();

        Assert.Equal([[1, 2], [3, 4], [5, 6]], store.Writes.Select(w => w.Batch.Select(r => r.SourceLine).ToArray()));
    }

    [Fact]
    public async Task WritesInFlight_AreBounded()
    {
        var store = new RecordingStore { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var writer = new PatientBatchWriter(store, default, batchSize: 1, maxConcurrentWrites: 2);

        await writer.AddAsync(Result("PT-A", 1));
        await writer.AddAsync(Result("PT-B", 1));
        var third = writer.AddAsync(Result("PT-C", 1)).AsTask();
        await Task.Delay(50);

        Assert.False(third.IsCompleted); // waits for a slot
        Assert.Equal(2, store.Started.Count);
        store.Gate.SetResult();
        await third;
        await writer.CompleteAsync();
        Assert.Equal(2, store.MaxInFlight);
        Assert.Equal(3, store.Writes.Count);
    }

    [Fact]
    public async Task FailedWrite_Surfaces()
    {
        var store = new RecordingStore { FailFor = "PT-BAD" };
        var writer = new PatientBatchWriter(store, default, batchSize: 2);

        await writer.AddAsync(Result("PT-OK", 1));
        await writer.AddAsync(Result("PT-BAD", 1));
        await writer.AddAsync(Result("PT-BAD", 2));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(writer.CompleteAsync);
        Assert.Equal("storage refused the batch", ex.Message);
    }

    [Fact]
    public async Task FailedWrite_Surfaces_FromAddWhenWritesAreThrottled()
    {
        var store = new RecordingStore { FailFor = "PT-BAD" };
        var writer = new PatientBatchWriter(store, default, batchSize: 1, maxConcurrentWrites: 1);

        await writer.AddAsync(Result("PT-BAD", 1));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.AddAsync(Result("PT-OK", 1)));
    }

    [Fact]
    public async Task SameVersionTwiceInOneFile_IsStoredOnce_AndTwoVersionsOfOneResultBoth()
    {
        var store = new RecordingStore();
        var writer = new PatientBatchWriter(store, default);
        var first = Result("PT-A", 1, line: 2);
        var corrected = Result("PT-A", 1, value: 310, line: 4);

        await writer.AddAsync(first);
        await writer.AddAsync(first with { SourceLine = 3 });
        await writer.AddAsync(corrected);

        Assert.Equal(2, await writer.CompleteAsync());
        var batch = Assert.Single(store.Writes).Batch;
        Assert.Equal([3, 4], batch.Select(r => r.SourceLine).Order()); // the later row of the repeated version
        Assert.Equal(first.ResultId, corrected.ResultId);
    }
}

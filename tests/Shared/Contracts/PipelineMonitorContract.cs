using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Ports;
using static CarTLabPipeline.Testing.Contracts.ContractData;

namespace CarTLabPipeline.Testing.Contracts;

/// <summary>What every <see cref="IPipelineMonitor"/> reads: queue depth, oldest message, the poison reason; the ledger's file reports.</summary>
public abstract class PipelineMonitorContract : IAsyncLifetime
{
    protected string Work { get; } = Unique("qw");

    protected string Poison { get; } = Unique("qp");

    protected IPipelineQueue Queue { get; private set; } = null!;

    protected IFileLedger Ledger { get; private set; } = null!;

    protected IPipelineMonitor Monitor { get; private set; } = null!;

    /// <summary>The ports under test, sharing one store, with <see cref="Work"/> and <see cref="Poison"/> existing.</summary>
    protected abstract Task<(IPipelineQueue Queue, IFileLedger Ledger, IPipelineMonitor Monitor)> CreateAsync(IReadOnlyList<string> queueNames);

    public async Task InitializeAsync() => (Queue, Ledger, Monitor) = await CreateAsync([Work, Poison]);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EmptyOrMissingQueue_HasDepthZero()
    {
        var empty = await Monitor.GetQueueStatusAsync(Work, readReasons: true, CancellationToken.None);
        var missing = await Monitor.GetQueueStatusAsync(Unique("none"), readReasons: true, CancellationToken.None);

        Assert.Equal((0, (DateTimeOffset?)null, (string?)null), (empty.Depth, empty.OldestEnqueuedAt, empty.NewestReason));
        Assert.Equal(0, missing.Depth);
    }

    [Fact]
    public async Task Queue_CountsVisibleAndDelayedMessages_WithTheOldest()
    {
        await Queue.SendAsync(Work, new EvaluationRequest("PT-1", EvaluationRequest.ReasonResults), null, CancellationToken.None);
        await Queue.SendAsync(Work, new EvaluationRequest("PT-2", EvaluationRequest.ReasonResults), TimeSpan.FromMinutes(5), CancellationToken.None);

        var status = await Monitor.GetQueueStatusAsync(Work, readReasons: false, CancellationToken.None);

        Assert.Equal(2, status.Depth);
        Assert.NotNull(status.OldestEnqueuedAt);
        Assert.Null(status.NewestReason);
        Assert.False(status.AllHeldBack);
    }

    [Fact]
    public async Task Queue_WhoseEveryMessageIsDelayed_IsHeldBack_WithNoOldest()
    {
        await Queue.SendAsync(Work, new EvaluationRequest("PT-1", EvaluationRequest.ReasonResults), TimeSpan.FromMinutes(5), CancellationToken.None);
        await Queue.SendAsync(Work, new EvaluationRequest("PT-2", EvaluationRequest.ReasonResults), TimeSpan.FromMinutes(5), CancellationToken.None);

        var status = await Monitor.GetQueueStatusAsync(Work, readReasons: false, CancellationToken.None);

        Assert.Equal((2, (DateTimeOffset?)null, true), (status.Depth, status.OldestEnqueuedAt, status.AllHeldBack));
    }

    [Fact]
    public async Task PoisonQueue_GivesTheNewestReason_AndNoneForARuntimeMovedMessage()
    {
        await Queue.SendAsync(Poison, new PoisonEnvelope("first reason", "{}"), null, CancellationToken.None);
        await Queue.SendAsync(Poison, new PoisonEnvelope("value: not a number (line 1)", "{}"), null, CancellationToken.None);

        var status = await Monitor.GetQueueStatusAsync(Poison, readReasons: true, CancellationToken.None);

        Assert.Equal(2, status.Depth);
        Assert.NotNull(status.NewestReason);
        Assert.Contains(status.NewestReason, new[] { "first reason", "value: not a number (line 1)" });
    }

    [Fact]
    public async Task FileReports_AreListed_OnePerContent()
    {
        var a = new IngestionReport { File = "lab-a/one.csv", ContentSha256 = Unique("sha"), Status = IngestionStatus.Processed, Stored = 3 };
        var b = new IngestionReport { File = "lab-b/two.hl7", ContentSha256 = Unique("sha"), Status = IngestionStatus.Partial, Rejected = 1 };
        await Ledger.TryBeginAsync(a, CancellationToken.None);
        await Ledger.TryBeginAsync(b, CancellationToken.None);
        await Ledger.RecordBlobAsync("lab-a/one.csv", "etag", a.ContentSha256, CancellationToken.None);

        var listed = new List<IngestionReport>();
        await foreach (var report in Monitor.ListFileReportsAsync(CancellationToken.None))
        {
            listed.Add(report);
        }

        Assert.Contains(listed, r => r.File == a.File && r.Stored == 3);
        Assert.Contains(listed, r => r.File == b.File && r.Status == IngestionStatus.Partial && r.Rejected == 1);
        Assert.Equal(listed.Count, listed.Select(r => r.ContentSha256).Distinct().Count());
    }

    private sealed record PoisonEnvelope(string Reason, string Message);
}

using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Testing.InMemory;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Core.Tests.Results;

/// <summary>
/// What a process holds of patients' records at once (<see cref="PatientRecordReader"/>): a few small records side by
/// side, a large one alone — so two misrouted feeds' patients evaluated at the same moment do not need twice the memory.
/// </summary>
public class PatientRecordReaderTests
{
    private const string Small = "PT-SMALL";
    private const string Large = "PT-LARGE";
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);

    private readonly InMemoryLabResultStore _store = new();
    private readonly PatientRecordReader _reader;

    public PatientRecordReaderTests()
    {
        _reader = new PatientRecordReader(_store, Options.Create(new EvaluationOptions()));
        _store.UpsertAsync(Small, Versions(Small, 1), CancellationToken.None).GetAwaiter().GetResult();
        _store.UpsertAsync(Large, Versions(Large, PatientRecordReader.SmallRecordVersions + 1), CancellationToken.None).GetAwaiter().GetResult();
    }

    private static LabResult[] Versions(string patientId, int count) => [.. Enumerable.Range(0, count).Select(i =>
    {
        var r = TestData.Result(Analyte.IgG, day: 1, value: 500m, patientId: patientId);
        var v = r with { CollectedAt = r.CollectedAt.AddMinutes(i), ResultId = ResultIds.ForResult(patientId, Analyte.IgG, r.CollectedAt.AddMinutes(i)) };
        return v with { VersionId = ResultIds.ForVersion(v) };
    })];

    [Fact]
    public async Task ALargeRecord_WaitsForTheSmallReadsHeld_AndTheSmallReadsAskedAfterItWaitForIt()
    {
        var order = new List<string>();
        var release = new TaskCompletionSource();
        var held = _reader.ReadAsync(Small, sources: false, async read =>
        {
            order.Add("small held");
            await release.Task;
            order.Add("small done");
            return read.Versions.Count;
        }, CancellationToken.None);

        var large = _reader.ReadAsync(Large, sources: false, read =>
        {
            order.Add("large");
            return read.Versions.Count;
        }, CancellationToken.None);
        var after = _reader.ReadAsync(Small, sources: false, read =>
        {
            order.Add("small after");
            return read.Versions.Count;
        }, CancellationToken.None);

        Assert.Equal(["small held"], order);
        Assert.False(large.IsCompleted);
        Assert.False(after.IsCompleted);
        release.SetResult();
        var counts = await Task.WhenAll(held, large, after).WaitAsync(s_patience);
        Assert.Equal([1, PatientRecordReader.SmallRecordVersions + 1, 1], counts);
        Assert.Equal(["small held", "small done", "large", "small after"], order);
    }

    [Fact]
    public async Task ALargeRecord_IsReadUpToTheSmallSizeFirst_ThenAgainWhole()
    {
        var before = _store.RowsRead;

        var read = await _reader.ReadAsync(Large, sources: true, read => read, CancellationToken.None);

        Assert.False(read.TooLarge);
        Assert.Equal(2 * (PatientRecordReader.SmallRecordVersions + 1), _store.RowsRead - before);
    }

    [Fact]
    public async Task AReadMadeWhileTheSameFlowHoldsARecord_DoesNotWaitForAPlace()
    {
        // The large read holds every place; a read inside it (a chart drawn while the record is held) must not wait for one.
        var inner = await _reader.ReadAsync(Large, sources: false, _ => _reader.ReadAsync(Small, sources: true, read => read.Versions.Count, CancellationToken.None),
            CancellationToken.None).WaitAsync(s_patience);

        Assert.Equal(1, inner);
    }

    [Fact]
    public async Task ALargeReadCancelledWhileWaiting_GivesBackThePlacesItTook()
    {
        var release = new TaskCompletionSource();
        var held = _reader.ReadAsync(Small, sources: false, async _ => { await release.Task; return 0; }, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var large = _reader.ReadAsync(Large, sources: false, read => read.Versions.Count, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => large);
        release.SetResult();
        await held;

        // Every place is free again: as many small records as there are places are held at once.
        var all = new TaskCompletionSource();
        var holding = 0;
        var reads = Enumerable.Range(0, PatientRecordReader.SharedReads).Select(_ => _reader.ReadAsync(Small, sources: false, async read =>
        {
            if (Interlocked.Increment(ref holding) == PatientRecordReader.SharedReads)
            {
                all.SetResult();
            }

            await all.Task;
            return read.Versions.Count;
        }, CancellationToken.None)).ToList();
        Assert.All(await Task.WhenAll(reads).WaitAsync(s_patience), n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task ARecordOverTheLimit_IsHandedOverAsTooLarge_WithNoVersion()
    {
        var reader = new PatientRecordReader(_store, Options.Create(new EvaluationOptions { MaxRecordVersions = EvaluationOptions.MinMaxRecordVersions }));

        var read = await reader.ReadAsync(Large, sources: false, read => read, CancellationToken.None);

        Assert.Equal((true, 0, EvaluationOptions.MinMaxRecordVersions), (read.TooLarge, read.Versions.Count, read.Limit));
    }
}

using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ports;
using static CarTLabPipeline.Testing.Contracts.ContractData;

namespace CarTLabPipeline.Testing.Contracts;

/// <summary>What every <see cref="IFileLedger"/> does: a content hash is claimed once; blob names remember their ETag.</summary>
public abstract class FileLedgerContract : IAsyncLifetime
{
    protected IFileLedger Ledger { get; private set; } = null!;

    /// <summary>The ledger under test, ready to use.</summary>
    protected abstract Task<IFileLedger> CreateLedgerAsync();

    public async Task InitializeAsync() => Ledger = await CreateLedgerAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static string File() => $"{Unique("lab")}/2024-09-25.csv";

    [Fact]
    public async Task Get_OfUnknownContent_IsNull()
    {
        Assert.Null(await Ledger.GetAsync(Report(File()).ContentSha256, CancellationToken.None));
    }

    [Fact]
    public async Task TryBegin_ClaimsTheContentOnce_AndKeepsTheFirstClaim()
    {
        var claim = Report(File());

        Assert.True(await Ledger.TryBeginAsync(claim, CancellationToken.None));
        Assert.False(await Ledger.TryBeginAsync(claim with { File = "other/name.csv" }, CancellationToken.None));

        var stored = await Ledger.GetAsync(claim.ContentSha256, CancellationToken.None);
        Assert.Equal((claim.File, IngestionStatus.Processing), (stored!.File, stored.Status));
    }

    [Fact]
    public async Task TryBegin_Concurrently_ClaimsTheContentOnce()
    {
        var claim = Report(File());

        var claimed = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Ledger.TryBeginAsync(claim with { File = $"copy-{i}.csv" }, CancellationToken.None))));

        Assert.Single(claimed, c => c);
        var winner = Array.IndexOf(claimed, true);
        Assert.Equal($"copy-{winner}.csv", (await Ledger.GetAsync(claim.ContentSha256, CancellationToken.None))!.File);
    }

    [Fact]
    public async Task Complete_ReplacesTheClaim_WithTheFinalReport()
    {
        var claim = Report(File());
        await Ledger.TryBeginAsync(claim, CancellationToken.None);
        var final = claim with { Status = IngestionStatus.Partial, Stored = 8, Rejected = 2, CompletedAt = claim.StartedAt.AddSeconds(3) };

        await Ledger.CompleteAsync(final, CancellationToken.None);

        var stored = await Ledger.GetAsync(claim.ContentSha256, CancellationToken.None);
        Assert.Equal(Json(final), Json(stored));
        Assert.False(await Ledger.TryBeginAsync(claim, CancellationToken.None));
    }

    [Fact]
    public async Task Complete_WithoutAClaim_StoresTheReport()
    {
        var report = Report(File(), IngestionStatus.Processed);

        await Ledger.CompleteAsync(report, CancellationToken.None);

        Assert.Equal(Json(report), Json(await Ledger.GetAsync(report.ContentSha256, CancellationToken.None)));
    }

    [Fact]
    public async Task Complete_AReportWithManyErrors_KeepsTheCountsAndASampleOfTheErrors()
    {
        var report = Report(File(), IngestionStatus.Partial, errors: 500);

        await Ledger.CompleteAsync(report, CancellationToken.None);

        var stored = await Ledger.GetAsync(report.ContentSha256, CancellationToken.None);
        Assert.Equal(500, stored!.Rejected);
        Assert.InRange(stored.Errors.Count, 1, 20);
        Assert.Equal(report.Errors[0], stored.Errors[0]);
    }

    [Fact]
    public async Task RecordBlob_ThenGetHandledBlobs_HasTheNameAndItsETag()
    {
        var (name, other) = (File(), $"{Unique("lab")}/with space #1?.hl7");

        await Ledger.RecordBlobAsync(name, "\"0x1\"", "sha-1", CancellationToken.None);
        await Ledger.RecordBlobAsync(other, null, "sha-2", CancellationToken.None);

        var handled = await Ledger.GetHandledBlobsAsync(CancellationToken.None);
        Assert.Equal("\"0x1\"", handled[name]);
        Assert.True(handled.ContainsKey(other));
        Assert.Null(handled[other]);
    }

    [Fact]
    public async Task RecordBlob_Again_ReplacesTheETag()
    {
        var name = File();
        await Ledger.RecordBlobAsync(name, "\"0x1\"", "sha-1", CancellationToken.None);

        await Ledger.RecordBlobAsync(name, "\"0x2\"", "sha-2", CancellationToken.None);

        Assert.Equal("\"0x2\"", (await Ledger.GetHandledBlobsAsync(CancellationToken.None))[name]);
    }

    [Fact]
    public async Task GetHandledBlobs_ListsBlobNames_NotContentClaims()
    {
        var claim = Report(File());
        await Ledger.TryBeginAsync(claim, CancellationToken.None);

        var handled = await Ledger.GetHandledBlobsAsync(CancellationToken.None);

        Assert.DoesNotContain(claim.File, handled.Keys);
        Assert.DoesNotContain(claim.ContentSha256, handled.Keys);
    }
}

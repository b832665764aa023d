using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Core.Tests.Ingestion;

public class ReconciliationTests
{
    [Fact]
    public async Task Sweep_AFileThatThrows_DoesNotStopTheFilesAfterIt_AndIsRetriedOnlyAfterItsBackOff()
    {
        // Lease shorter than the back-off, so each retry is a real attempt (a longer lease would find its own claim).
        var rig = new IngestionRig(new IngestionOptions { ProcessingLease = TimeSpan.FromSeconds(30) });
        rig.Results.FailingPatients["PT-S-BAD"] = true;
        var bad = rig.Files.Add("a/bad.csv", IngestionRig.Csv("PT-S-BAD"));
        var good = rig.Files.Add("b/good.csv", IngestionRig.Csv("PT-S-GOOD"));

        var first = await rig.Sweep.SweepAsync(default);

        Assert.Equal("b/good.csv", Assert.Single(first).File);
        Assert.Equal(2, rig.Results.Rows["PT-S-GOOD"].Count);
        var opens = bad.Opens;
        var goodOpens = good.Opens;

        // Within the first back-off (1 min): not tried.
        rig.Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Empty(await rig.Sweep.SweepAsync(default));
        Assert.Equal(opens, bad.Opens);

        // After it: tried (attempt 2 fails too); the next back-off is 2 min.
        rig.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Empty(await rig.Sweep.SweepAsync(default));
        Assert.True(bad.Opens > opens);
        opens = bad.Opens;

        rig.Time.Advance(TimeSpan.FromSeconds(90));
        Assert.Empty(await rig.Sweep.SweepAsync(default));
        Assert.Equal(opens, bad.Opens);

        // Attempt 3 is the last (Ingestion:MaxAttempts): the file is completed as rejected and the sweep is done with it.
        rig.Time.Advance(TimeSpan.FromSeconds(35));
        var given = Assert.Single(await rig.Sweep.SweepAsync(default));
        Assert.Equal(("a/bad.csv", IngestionStatus.Rejected, 3), (given.File, given.Status, given.Attempts));
        opens = bad.Opens;

        rig.Time.Advance(TimeSpan.FromHours(2));
        Assert.Empty(await rig.Sweep.SweepAsync(default));
        Assert.Equal(opens, bad.Opens);
        Assert.Equal(goodOpens, good.Opens); // ingested once, by the first sweep
    }

    [Fact]
    public async Task Sweep_FileInProgressElsewhere_IsLookedAtAgainAfterTheRecheckDelay_NotAtEverySweep()
    {
        var rig = new IngestionRig();
        var content = IngestionRig.Csv("PT-S-2");
        await rig.Ledger.TryBeginAsync(new IngestionReport
        {
            File = "c/busy.csv",
            ContentSha256 = IngestionRig.Sha256(content),
            Status = IngestionStatus.Processing,
            StartedAt = rig.Time.GetUtcNow(),
            Attempts = 1,
        }, default);
        var busy = rig.Files.Add("c/busy.csv", content);

        Assert.Equal(IngestionStatus.Processing, Assert.Single(await rig.Sweep.SweepAsync(default)).Status);
        var opens = busy.Opens;
        rig.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(await rig.Sweep.SweepAsync(default));
        Assert.Equal(opens, busy.Opens);

        // Its holder may have died: looked at again well within the processing lease (30 s), so a stale claim is resumed soon.
        rig.Time.Advance(ReconciliationService.InProgressRecheck);
        Assert.Equal(IngestionStatus.Processing, Assert.Single(await rig.Sweep.SweepAsync(default)).Status);
        Assert.True(busy.Opens > opens);
    }

    [Fact]
    public async Task Sweep_FileWhoseHolderDied_IsDueAgainWhenItsClaimGoesStale_AndResumedThen()
    {
        // A crashed host's claim, last renewed 25 s ago: stale 5 s from now (lease 30 s), sooner than the 15 s recheck.
        var rig = new IngestionRig();
        var content = IngestionRig.Csv("PT-S-4");
        var renewed = rig.Time.GetUtcNow() - TimeSpan.FromSeconds(25);
        await rig.Ledger.TryBeginAsync(new IngestionReport
        {
            File = "c/half-done.csv",
            ContentSha256 = IngestionRig.Sha256(content),
            Status = IngestionStatus.Processing,
            StartedAt = renewed,
            Attempts = 1,
        }, default);
        rig.Files.Add("c/half-done.csv", content);
        Assert.Null(rig.Sweep.NextRecheckAt);

        Assert.Equal(IngestionStatus.Processing, Assert.Single(await rig.Sweep.SweepAsync(default)).Status);
        var due = rig.Sweep.NextRecheckAt;

        Assert.Equal(renewed + rig.Options.ProcessingLease + ReconciliationService.StaleMargin, due);
        rig.Time.Advance(due!.Value - rig.Time.GetUtcNow());
        var resumed = Assert.Single(await rig.Sweep.SweepAsync(default));
        Assert.Equal((IngestionStatus.Processed, 2), (resumed.Status, resumed.Attempts));
        Assert.Null(rig.Sweep.NextRecheckAt);
    }

    [Fact]
    public async Task Sweep_BlobTheTriggerHandled_UnderAQuotedETag_IsNotIngestedAgain()
    {
        // Bug: the ledger kept the trigger's ETag "\"0x8DC…\"" (header form), the listing gives 0x8DC… — every file the
        // trigger had ingested was ingested again by the sweep (292 ingestion runs for 200 files).
        var rig = new IngestionRig();
        var triggered = new MemorySource("d/triggered.csv", IngestionRig.Csv("PT-S-3"), "\"0x8DC0000000000042\"");
        await rig.Ingestion.IngestAsync(triggered, default);
        var listed = rig.Files.Add("d/triggered.csv", triggered.Content, etag: "0x8DC0000000000042");

        var reports = await rig.Sweep.SweepAsync(default);

        Assert.Empty(reports);
        Assert.Equal(0, listed.Opens);
    }

    [Theory]
    [InlineData("\"0x8DC1\"", "0x8DC1")]
    [InlineData("W/\"0x8DC1\"", "0x8DC1")]
    [InlineData("w/\"0x8DC1\"", "\"0x8DC1\"")]
    [InlineData(" \"0x8DC1\" ", "0x8DC1")]
    [InlineData(null, "")]
    public void ETags_InQuotesOrWeak_AreTheSameVersion(string? a, string? b)
    {
        Assert.True(ETags.Same(a, b));
    }

    [Theory]
    [InlineData("0x8DC1", "0x8DC2")]
    [InlineData("0x8DC1", null)]
    [InlineData("0x8dc1", "0x8DC1")]
    public void ETags_OfDifferentVersions_Differ(string? a, string? b)
    {
        Assert.False(ETags.Same(a, b));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(1000, 60)]
    public void BackOff_StartsAtAMinute_DoublesUpToAnHour(int failures, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), ReconciliationService.Delay(failures));
    }
}

using CarTLabPipeline.Composition;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Core.Tests.Ingestion;

/// <summary>A file claimed by an attempt that died or keeps failing never stays "processing" for ever.</summary>
public class ProcessingLeaseTests
{
    private static IngestionReport Claim(string content, DateTimeOffset startedAt, int attempts = 1, string? lastError = null) => new()
    {
        File = "lab/first-name.csv",
        ContentSha256 = IngestionRig.Sha256(content),
        Status = IngestionStatus.Processing,
        StartedAt = startedAt,
        Attempts = attempts,
        LastError = lastError,
    };

    [Fact]
    public async Task FreshClaim_OfAnotherAttempt_IsNotResumed()
    {
        var rig = new IngestionRig();
        var content = IngestionRig.Csv("PT-L1");
        var claim = Claim(content, rig.Time.GetUtcNow() - TimeSpan.FromSeconds(20));
        await rig.Ledger.TryBeginAsync(claim, default);

        var report = await rig.Ingestion.IngestAsync(rig.Files.Add("lab/PT-L1.csv", content), default);

        Assert.Equal(IngestionStatus.Processing, report.Status); // in progress elsewhere
        Assert.Equal("lab/PT-L1.csv", report.File);
        Assert.Empty(rig.Results.Rows);
        Assert.Empty(rig.Queue.Sent);
        Assert.Same(claim, rig.Ledger.Content[claim.ContentSha256]);
        Assert.Empty(rig.Ledger.Blobs); // so the sweep looks again later
    }

    [Fact]
    public async Task LongIngestion_RenewsItsClaim_SoNoOtherAttemptTakesItOverPastTheLease()
    {
        // Bug: a 10-minute lease had to exceed the largest file, so a crashed host's file waited 10 minutes. Now the lease is
        // short and the living attempt renews its claim; only a dead one's claim goes stale.
        var rig = new IngestionRig();
        var content = IngestionRig.Csv("PT-L7");
        var slow = new GatedSource("lab/PT-L7.csv", content);
        var first = rig.Ingestion.IngestAsync(slow, default);
        await slow.Reading.WaitAsync(TimeSpan.FromSeconds(10));
        var sha = IngestionRig.Sha256(content);

        // Two leases pass while the first attempt still reads the file: it renews every third of a lease.
        for (var i = 0; i < 6; i++)
        {
            rig.Time.Advance(rig.Options.ProcessingLease / 3);
            await WaitForAsync(() => rig.Ledger.Content[sha].StartedAt == rig.Time.GetUtcNow());
        }

        var second = await rig.Ingestion.IngestAsync(rig.Files.Add("lab/PT-L7-copy.csv", content), default);
        slow.Release();
        var done = await first;

        Assert.Equal(IngestionStatus.Processing, second.Status); // in progress elsewhere, not resumed
        Assert.Equal((IngestionStatus.Processed, 1, 2), (done.Status, done.Attempts, done.Stored));
        Assert.Equal(IngestionStatus.Processed, rig.Ledger.Content[sha].Status);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 10_000, "the claim was not renewed");
            await Task.Delay(10);
        }
    }

    /// <summary>A file whose second opening (the parse, after the hash) waits until released: a slow, long ingestion.</summary>
    private sealed class GatedSource(string name, string content) : ILabFileSource
    {
        private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _opens;

        public string Name => name;

        public string? ETag => "0x8DC0000000000007";

        public Task Reading => _reading.Task;

        public void Release() => _release.TrySetResult();

        public async Task<Stream> OpenReadAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _opens) == 2)
            {
                _reading.TrySetResult();
                await _release.Task.WaitAsync(cancellationToken);
            }

            return new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
        }
    }

    [Fact]
    public async Task StaleClaim_IsResumed_AsTheNextAttempt()
    {
        var rig = new IngestionRig();
        var content = IngestionRig.Csv("PT-L2");
        var firstStart = rig.Time.GetUtcNow() - TimeSpan.FromMinutes(11);
        await rig.Ledger.TryBeginAsync(Claim(content, firstStart), default);

        var report = await rig.Ingestion.IngestAsync(rig.Files.Add("lab/PT-L2.csv", content), default);

        Assert.Equal((IngestionStatus.Processed, 2, 2), (report.Status, report.Stored, report.Attempts));
        Assert.Equal(2, rig.Results.Rows["PT-L2"].Count);
        Assert.All(rig.Results.Rows["PT-L2"].Values, r => Assert.Equal(firstStart, r.ReceivedAt)); // the file arrived at the first attempt
        Assert.Equal(IngestionStatus.Processed, rig.Ledger.Content[report.ContentSha256].Status);
        Assert.True(rig.Ledger.Blobs.ContainsKey("lab/PT-L2.csv"));
    }

    [Fact]
    public async Task ResumedAttempt_KeepsTheFilesFirstArrival()
    {
        var rig = new IngestionRig();
        var content = IngestionRig.Csv("PT-L6");
        var arrival = rig.Time.GetUtcNow() - TimeSpan.FromMinutes(40);
        await rig.Ledger.TryBeginAsync(Claim(content, rig.Time.GetUtcNow() - TimeSpan.FromMinutes(15), attempts: 2) with { ReceivedAt = arrival }, default);

        var report = await rig.Ingestion.IngestAsync(rig.Files.Add("lab/PT-L6.csv", content), default);

        Assert.Equal((IngestionStatus.Processed, 3, arrival), (report.Status, report.Attempts, report.ReceivedAt));
        Assert.All(rig.Results.Rows["PT-L6"].Values, r => Assert.Equal(arrival, r.ReceivedAt));
    }

    [Fact]
    public async Task RepeatedFailure_EndsRejected_WithAReportSayingWhy()
    {
        var rig = new IngestionRig();
        rig.Results.FailingPatients["PT-L3"] = true;
        var source = rig.Files.Add("lab/PT-L3.csv", IngestionRig.Csv("PT-L3"));

        // Attempt 1 fails: the claim keeps its error and the lease runs.
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Ingestion.IngestAsync(source, default));
        var sha = IngestionRig.Sha256(source.Content);
        Assert.Equal((IngestionStatus.Processing, 1), (rig.Ledger.Content[sha].Status, rig.Ledger.Content[sha].Attempts));
        Assert.StartsWith("System.InvalidOperationException: storage refused the batch", rig.Ledger.Content[sha].LastError, StringComparison.Ordinal);

        // A redelivery within the lease is told the file is in progress; it does not fail nor add an attempt.
        rig.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(IngestionStatus.Processing, (await rig.Ingestion.IngestAsync(source, default)).Status);
        Assert.Equal(1, rig.Ledger.Content[sha].Attempts);

        rig.Time.Advance(TimeSpan.FromMinutes(10));
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Ingestion.IngestAsync(source, default));
        Assert.Equal(2, rig.Ledger.Content[sha].Attempts);

        rig.Time.Advance(TimeSpan.FromMinutes(11));
        var given = await rig.Ingestion.IngestAsync(source, default);

        Assert.Equal((IngestionStatus.Rejected, 3), (given.Status, given.Attempts));
        var report = rig.Files.Rejections["lab/PT-L3.csv"];
        var reason = Assert.Single(report.Errors).Reason;
        Assert.Contains("failed 3 time(s)", reason, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: storage refused the batch (400 PropertyValueTooLarge)", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("300", reason, StringComparison.Ordinal); // no value of the file
        Assert.Equal(IngestionStatus.Rejected, rig.Ledger.Content[sha].Status);
        Assert.True(rig.Ledger.Blobs.ContainsKey("lab/PT-L3.csv"));

        // Done with: not "processing" any more, and not tried again until replayed.
        rig.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(IngestionStatus.Duplicate, (await rig.Ingestion.IngestAsync(source, default)).Status);
    }

    [Fact]
    public async Task AttemptsThatDiedSilently_AreGivenUpAfterTheMaximum()
    {
        var rig = new IngestionRig();
        var content = IngestionRig.Csv("PT-L4");
        await rig.Ledger.TryBeginAsync(Claim(content, rig.Time.GetUtcNow() - TimeSpan.FromMinutes(30), attempts: 3), default);

        var report = await rig.Ingestion.IngestAsync(rig.Files.Add("lab/PT-L4.csv", content), default);

        Assert.Equal(IngestionStatus.Rejected, report.Status);
        Assert.Contains("never finished", Assert.Single(rig.Files.Rejections["lab/PT-L4.csv"].Errors).Reason, StringComparison.Ordinal);
        Assert.Empty(rig.Results.Rows);
    }

    [Fact]
    public async Task Replay_ProcessesKnownContentAgain_AndIngestStillSeesADuplicate()
    {
        var rig = new IngestionRig();
        var source = rig.Files.Add("lab/PT-L5.csv", IngestionRig.Csv("PT-L5"));
        await rig.Ingestion.IngestAsync(source, default);

        var replayed = await rig.Ingestion.ReplayAsync(source, default);
        var again = await rig.Ingestion.IngestAsync(source, default);

        Assert.Equal((IngestionStatus.Processed, 2, 1), (replayed.Status, replayed.Stored, replayed.Attempts));
        Assert.Equal(IngestionStatus.Duplicate, again.Status);
    }

    [Theory]
    [InlineData("Ingestion:ProcessingLease", "00:00:00")]
    [InlineData("Ingestion:ProcessingLease", "2.00:00:00")]
    [InlineData("Ingestion:MaxAttempts", "0")]
    public void Options_OutOfRange_StopTheHost(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(key, (string?)value)]).Build();
        using var provider = new ServiceCollection().AddCarTLabPipelineCore(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IngestionOptions>>().Value);
        Assert.Contains(key.Split(':')[1], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_AreTenMinutesAndThreeAttempts()
    {
        using var provider = new ServiceCollection().AddCarTLabPipelineCore(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var o = provider.GetRequiredService<IOptions<IngestionOptions>>().Value;

        Assert.Equal((TimeSpan.FromSeconds(30), 3), (o.ProcessingLease, o.MaxAttempts));
    }
}

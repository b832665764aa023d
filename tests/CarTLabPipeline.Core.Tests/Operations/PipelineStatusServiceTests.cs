using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Operations;

public class PipelineStatusServiceTests
{
    private const string Igg = """
        patient_id,collected_at,analyte,value,unit,accession
        PT-S1,2024-09-24T08:00:00+02:00,igg,250,mg/dL,S1-IGG-28
        """;

    private static Task<PipelineStatus> StatusAsync(InMemoryPipeline pipeline) => pipeline.Get<PipelineStatusService>().GetAsync(CancellationToken.None);

    [Fact]
    public async Task QuietPipeline_NeedsNobody_AndShowsTheLastFilePerLab()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-S1");
        await pipeline.DropAsync("hospital-a/day28.csv", Igg);
        pipeline.Time.Advance(TimeSpan.FromHours(1));
        await pipeline.DropAsync("hospital-b/other.csv", Igg.Replace("S1-IGG-28", "S1-IGG-29", StringComparison.Ordinal));
        await pipeline.RunAsync();

        var status = await StatusAsync(pipeline);

        Assert.True(status.Healthy, string.Join("; ", status.NeedsAttention));
        Assert.Equal(["hospital-a", "hospital-b"], status.Labs.Select(l => l.Lab));
        Assert.Equal("hospital-b/other.csv", status.Labs[1].LastFile);
        Assert.Equal(PipelineNames.Queues.Triggered.Count, status.Queues.Count);
        Assert.All(status.Queues.Concat(status.Poison), q => Assert.Equal(0, q.Depth));
    }

    [Fact]
    public async Task PoisonMessage_NeedsAPerson_WithTheQueueAndTheNewestReason()
    {
        await using var pipeline = new InMemoryPipeline();
        pipeline.Post("{ not json");
        await pipeline.RunInboundAsync();

        var status = await StatusAsync(pipeline);

        var poison = Assert.Single(status.Poison, q => q.Depth > 0);
        Assert.Equal(PipelineNames.Queues.LabResultsInbound + PipelineNames.Queues.PoisonSuffix, poison.Queue);
        Assert.NotNull(poison.NewestReason);
        Assert.False(status.Healthy);
        Assert.Contains(status.NeedsAttention, a => a.Contains(poison.Queue, StringComparison.Ordinal) && a.Contains(poison.NewestReason!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkWaitingLongerThanFifteenMinutes_SaysTheTriggersMayNotRun()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-S1");
        await pipeline.DropAsync("hospital-a/day28.csv", Igg); // queues an evaluation nobody runs

        Assert.True((await StatusAsync(pipeline)).Healthy);
        pipeline.Time.Advance(TimeSpan.FromMinutes(16));
        var status = await StatusAsync(pipeline);

        Assert.Contains(status.NeedsAttention, a => a.StartsWith(PipelineNames.Queues.PatientEvaluations + ":", StringComparison.Ordinal) && a.Contains("16 min", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RejectedFiles_AreListedForTwentyFourHours()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-S1");
        var report = await pipeline.DropAsync("hospital-a/bad.csv", Igg + "\nPT-S1,2024-09-25T08:00:00+02:00,igg,250,furlongs,S1-IGG-30\n");
        Assert.Equal(IngestionStatus.Partial, report.Status);

        var status = await StatusAsync(pipeline);
        var rejected = Assert.Single(status.RejectedLast24Hours);
        Assert.Equal(("hospital-a/bad.csv", 1, 1), (rejected.File, rejected.Stored, rejected.Rejected));
        Assert.Contains(status.NeedsAttention, a => a.Contains("1 file(s) with rejections", StringComparison.Ordinal));

        pipeline.Time.Advance(TimeSpan.FromHours(25));
        await pipeline.RunAsync();
        Assert.Empty((await StatusAsync(pipeline)).RejectedLast24Hours);
    }

    [Fact]
    public async Task APatientNotEvaluated_TheRecordOverTheLimit_NeedsAPerson_UntilItsAlertIsRetracted()
    {
        // A user trial found status saying "Nothing needs attention" while a patient was refused evaluation.
        await using var pipeline = new InMemoryPipeline();
        var alerts = pipeline.Get<CarTLabPipeline.Alerts.IAlertStore>();
        var now = pipeline.Time.GetUtcNow();
        Assert.True(await alerts.TryAddAsync(CarTLabPipeline.Evaluation.RecordTooLarge.For("PT-FEED", 1_000, now, now), new Dictionary<string, CarTLabPipeline.Ports.Delivery>(), default));

        var status = await StatusAsync(pipeline);

        Assert.False(status.Healthy);
        Assert.Contains(status.NeedsAttention, a => a.StartsWith("1 patient(s) not evaluated, their record over Evaluation__MaxRecordVersions (PT-FEED)", StringComparison.Ordinal)
            && a.Contains("cartlab monitor", StringComparison.Ordinal));

        var stored = (await alerts.FindAsync(CarTLabPipeline.Evaluation.RecordTooLarge.AlertId("PT-FEED"), default))!;
        Assert.NotNull(await alerts.TryUpdateAsync(stored.Alert with { Status = CarTLabPipeline.Alerts.AlertStatus.Retracted }, stored.Deliveries, stored.ETag, default));
        Assert.True((await StatusAsync(pipeline)).Healthy, string.Join("; ", (await StatusAsync(pipeline)).NeedsAttention));
    }

    [Fact]
    public async Task FailedDelivery_NamesTheAlertAndItsLastError()
    {
        await using var pipeline = new InMemoryPipeline(new Dictionary<string, string?> { ["Notifications:MaxAttempts"] = "1" });
        await pipeline.EnrollAsync("PT-S1");
        pipeline.LabAlerts.FailNext(5, transient: false, message: "topic not found");
        await pipeline.DropAsync("hospital-a/day28.csv", Igg);
        await pipeline.SettleAsync(TimeSpan.FromHours(1));

        var status = await StatusAsync(pipeline);

        var problem = Assert.Single(status.Deliveries, d => d.RuleId == "igg.low");
        Assert.True(problem.Failed >= 1);
        Assert.Contains("topic not found", problem.LastError, StringComparison.Ordinal);
        Assert.Contains(status.NeedsAttention, a => a.Contains("failed deliveries", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_StorageRefuses_IsUnhealthyWithWhatItSaid_AndNoDetail()
    {
        await using var pipeline = new InMemoryPipeline();
        ((InMemoryPipelineMonitor)pipeline.Get<IPipelineMonitor>()).StorageRefusal = "403 AuthorizationPermissionMismatch";

        var health = await pipeline.Get<PipelineStatusService>().CheckHealthAsync(detail: true, CancellationToken.None);

        Assert.Equal(("unhealthy", "403 AuthorizationPermissionMismatch", false), (health.Status, health.Storage, health.Healthy));
        Assert.Null(health.Pipeline);
    }

    [Fact]
    public async Task Health_WithDetail_CarriesTheStatus_AndIsUnhealthyWhenSomethingNeedsAPerson()
    {
        await using var pipeline = new InMemoryPipeline();
        var service = pipeline.Get<PipelineStatusService>();
        var quiet = await service.CheckHealthAsync(detail: true, CancellationToken.None);
        pipeline.Post("{ not json");
        await pipeline.RunInboundAsync();

        var plain = await service.CheckHealthAsync(detail: false, CancellationToken.None);
        var detailed = await service.CheckHealthAsync(detail: true, CancellationToken.None);

        Assert.Equal(("healthy", "ok"), (quiet.Status, quiet.Storage));
        Assert.True(quiet.Pipeline!.Healthy);
        Assert.Equal(("healthy", null), (plain.Status, plain.Pipeline)); // storage answers: the anonymous probe says no more
        Assert.Equal("unhealthy", detailed.Status);
        Assert.Contains(detailed.Pipeline!.NeedsAttention, a => a.Contains(PipelineNames.Queues.PoisonSuffix, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("hospital-a/2024/day28.csv", "hospital-a")]
    [InlineData("day28.csv", "default")]
    public void LabOf_IsTheFirstFolder(string file, string lab) => Assert.Equal(lab, PipelineStatusService.LabOf(file));
}

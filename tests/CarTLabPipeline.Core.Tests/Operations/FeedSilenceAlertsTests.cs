using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Operations;

public class FeedSilenceAlertsTests
{
    private const string File = """
        patient_id,collected_at,analyte,value,unit,accession
        PT-F1,2024-09-24T08:00:00+02:00,igg,450,mg/dL,F1-IGG-{0}
        """;

    private static InMemoryPipeline Pipeline() => new(new Dictionary<string, string?>
    {
        ["Ingestion:Labs:hospital-a:ExpectedEvery"] = "1.02:00:00",
        ["Email:Ops"] = "ops@hospital.example",
    });

    private static async Task<List<Alert>> FeedAlertsAsync(InMemoryPipeline pipeline) =>
        [.. (await pipeline.Alerts.ListForPatientAsync(PoisonMessageAlerts.OpsPartition, CancellationToken.None))
            .Select(a => a.Alert).Where(a => a.RuleId == FeedSilenceAlerts.RuleId)];

    private static Task<int> CheckAsync(InMemoryPipeline pipeline) => pipeline.Get<FeedSilenceAlerts>().CheckAsync(CancellationToken.None);

    [Fact]
    public async Task WatchedLab_SilentLongerThanExpected_RaisesOneOpsAlert_RetractedWhenAFileArrives()
    {
        await using var pipeline = Pipeline();
        await pipeline.EnrollAsync("PT-F1");
        await pipeline.DropAsync("hospital-a/day1.csv", string.Format(System.Globalization.CultureInfo.InvariantCulture, File, 1));

        pipeline.Time.Advance(TimeSpan.FromHours(25));
        Assert.Equal(0, await CheckAsync(pipeline));
        Assert.Empty(await FeedAlertsAsync(pipeline));

        pipeline.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await CheckAsync(pipeline));
        Assert.Equal(0, await CheckAsync(pipeline)); // checked again: no second alert
        var silent = Assert.Single(await FeedAlertsAsync(pipeline));
        Assert.Equal((AlertAudience.Ops, AlertStatus.Open), (silent.Audience, silent.Status));
        Assert.Contains("hospital-a", silent.Title, StringComparison.Ordinal);
        Assert.Contains("Ingestion__Labs__hospital-a__ExpectedEvery", silent.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("PT-F1", silent.Summary, StringComparison.Ordinal);
        await pipeline.SettleAsync(TimeSpan.FromMinutes(5));
        Assert.Contains(pipeline.EmailSender.Sent, m => m.To == "ops@hospital.example" && m.Subject.Contains("No file from lab hospital-a", StringComparison.Ordinal));

        await pipeline.DropAsync("hospital-a/day3.csv", string.Format(System.Globalization.CultureInfo.InvariantCulture, File, 3));
        Assert.Equal(1, await CheckAsync(pipeline));
        Assert.Equal(AlertStatus.Retracted, Assert.Single(await FeedAlertsAsync(pipeline)).Status);
    }

    [Fact]
    public async Task UnwatchedLab_AndALabThatNeverSent_AreNotJudged()
    {
        await using var pipeline = Pipeline();
        await pipeline.EnrollAsync("PT-F1");
        await pipeline.DropAsync("hospital-b/day1.csv", string.Format(System.Globalization.CultureInfo.InvariantCulture, File, 1));

        pipeline.Time.Advance(TimeSpan.FromDays(10));

        Assert.Equal(0, await CheckAsync(pipeline));
        Assert.Empty(await FeedAlertsAsync(pipeline));
    }

    [Fact]
    public async Task ASecondSilence_IsASecondAlert()
    {
        await using var pipeline = Pipeline();
        await pipeline.EnrollAsync("PT-F1");
        await pipeline.DropAsync("hospital-a/day1.csv", string.Format(System.Globalization.CultureInfo.InvariantCulture, File, 1));
        pipeline.Time.Advance(TimeSpan.FromDays(2));
        await CheckAsync(pipeline);
        await pipeline.DropAsync("hospital-a/day3.csv", string.Format(System.Globalization.CultureInfo.InvariantCulture, File, 3));
        pipeline.Time.Advance(TimeSpan.FromDays(2));

        Assert.Equal(2, await CheckAsync(pipeline)); // the first retracted, the second raised

        var alerts = await FeedAlertsAsync(pipeline);
        Assert.Equal([AlertStatus.Open, AlertStatus.Retracted], alerts.Select(a => a.Status).Order());
    }

    [Theory]
    [InlineData("00:01:00")]
    [InlineData("400.00:00:00")]
    public void ExpectedEvery_OutOfRange_FailsValidation_NamingTheSetting(string value)
    {
        var ex = Assert.ThrowsAny<Exception>(() => new InMemoryPipeline(new Dictionary<string, string?> { ["Ingestion:Labs:hospital-a:ExpectedEvery"] = value }));
        Assert.Contains("ExpectedEvery", ex.ToString(), StringComparison.Ordinal);
    }
}

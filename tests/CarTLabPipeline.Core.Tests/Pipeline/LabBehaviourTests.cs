using CarTLabPipeline.Alerts;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Pipeline;

/// <summary>What labs do that the record must not get wrong, each found by trying the pipeline as a lab would.</summary>
public class LabBehaviourTests
{
    private const string Patient = "PT-T1";
    private const string Header = "patient_id,collected_at,analyte,value,unit,specimen,status,accession,sensitivity,reported_at";

    private static async Task<InMemoryPipeline> StartAsync()
    {
        var pipeline = new InMemoryPipeline(new Dictionary<string, string?> { ["Email:Ops"] = "ops@hospital.example" });
        await pipeline.EnrollAsync(Patient);
        return pipeline;
    }

    private static string Csv(params string[] rows) => string.Join('\n', [Header, .. rows]) + "\n";

    private static async Task DropAsync(InMemoryPipeline pipeline, string name, string csv)
    {
        var report = await pipeline.DropAsync(name, csv);
        Assert.Empty(report.Errors);
        await pipeline.RunAsync();
    }

    [Fact]
    public async Task CancellationMatchingNoResult_TellsOpsOnce_BecauseWhatItMeantToWithdrawStillStands()
    {
        await using var pipeline = await StartAsync();
        await DropAsync(pipeline, "lab/a.csv", Csv($"{Patient},2024-09-25T08:00:00+02:00,plt,12,10^9/L,blood,final,,,"));
        await DropAsync(pipeline, "lab/b.csv", Csv($"{Patient},2024-09-25T08:04:00+02:00,plt,,,blood,cancelled,,,"));
        await DropAsync(pipeline, "lab/c.csv", Csv($"{Patient},2024-09-25T08:04:00+02:00,plt,,,blood,cancelled,,,") + "\n");

        var alerts = pipeline.Alerts.All().Select(a => a.Alert).ToList();
        Assert.Equal(AlertStatus.Open, Assert.Single(alerts, a => a.RuleId == "plt.severe-thrombocytopenia").Status);
        var ops = Assert.Single(alerts, a => a.RuleId == UnmatchedWithdrawals.RuleId);
        Assert.Matches(@"\(lab/[bc]\.csv, line 2\)", ops.Summary);
        Assert.Contains("but no result of this analyte collected at that time is on record", ops.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("at:", ops.Summary, StringComparison.Ordinal); // the internal identity key is not for people
        Assert.Equal(["ops@hospital.example"], pipeline.EmailSender.Sent.Where(m => m.Subject.Contains("not on record", StringComparison.Ordinal)).Select(m => m.To));
    }

    [Fact]
    public async Task CancellationOfAnUnknownAccession_NamesTheAccession()
    {
        await using var pipeline = await StartAsync();
        await DropAsync(pipeline, "lab/b.csv", Csv($"{Patient},2024-09-25T08:04:00+02:00,plt,,,blood,cancelled,P-9,,"));

        var ops = Assert.Single(pipeline.Alerts.All(), a => a.Alert.RuleId == UnmatchedWithdrawals.RuleId).Alert;
        Assert.Contains("but no result with accession P-9 for this analyte is on record", ops.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledAndResentUnderANewAccession_TheRetractionSaysANewAlertReplacesIt()
    {
        await using var pipeline = await StartAsync();
        await DropAsync(pipeline, "lab/a.csv", Csv($"{Patient},2024-09-25T08:00:00+02:00,plt,12,10^9/L,blood,final,P-1,,"));
        await DropAsync(pipeline, "lab/b.csv", Csv(
            $"{Patient},2024-09-25T08:00:00+02:00,plt,,,blood,cancelled,P-1,,",
            $"{Patient},2024-09-25T08:00:00+02:00,plt,14,10^9/L,blood,final,P-2,,"));

        var alerts = pipeline.Alerts.All().Select(a => a.Alert).ToList();
        var retracted = Assert.Single(alerts, a => a.Status == AlertStatus.Retracted);
        var replacement = Assert.Single(alerts, a => a.Status == AlertStatus.Open);
        Assert.Equal(replacement.AlertId, retracted.SupersededBy);
        Assert.Contains("a new alert replaces it: Platelets 14", retracted.RetractionReason, StringComparison.Ordinal);
        var notice = Assert.Single(pipeline.EmailSender.Sent, m => m.Subject.StartsWith("[CAR-T · retracted · ", StringComparison.Ordinal));
        Assert.Contains("Act on the alert that replaces it.", notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("No action is needed", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoCountsAtOneInstant_AreReadInTheOrderTheLabIssuedThem()
    {
        await using var pipeline = await StartAsync();
        await DropAsync(pipeline, "lab/a.csv", Csv(
            $"{Patient},2024-09-25T08:00:00+02:00,plt,45,10^9/L,blood,final,P-2,,2024-09-25T09:05:00+02:00",
            $"{Patient},2024-09-25T08:00:00+02:00,plt,12,10^9/L,blood,final,P-1,,2024-09-25T09:00:00+02:00"));

        var alert = Assert.Single(pipeline.Alerts.All()).Alert;
        Assert.StartsWith("Platelets 12", alert.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("previously 45", alert.Summary, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ChangeOfCollectionTimeInAnotherOffset_PrintsTheOffsets_SoTheTwoTimesNeverLookAlike()
    {
        var before = Assert.Single(TestData.Fired("igg.low", [TestData.Result(Domain.Analyte.IgG, 28, 250m)]));
        var trigger = before.Evidence[0];
        var after = before with { Evidence = [trigger with { CollectedAt = new DateTimeOffset(trigger.CollectedAt.DateTime, TimeSpan.Zero) }] };

        Assert.Equal("IgG collection time corrected from 2024-09-24 08:00 +02:00 to 2024-09-24 08:00 +00:00", AlertRevisions.Describe(before, after));
    }
}

using CarTLabPipeline.Domain;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Operations;

/// <summary>The per-channel delivery summary <c>cartlab demo</c> and <c>redeliver</c> print, from the ledger on the alert rows.</summary>
public class DeliverySummaryServiceTests
{
    [Fact]
    public async Task SummarizeAsync_CountsSentWaitingAndFailed_PerChannel_WithRecipients()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-DS1", "dr.a@hospital.example", "dr.b@hospital.example");
        await pipeline.StoreAsync(TestData.Result(Analyte.IgG, day: 28, value: 250m, patientId: "PT-DS1"));
        await pipeline.RunAsync(dispatch: false);
        var before = await pipeline.Get<DeliverySummaryService>().SummarizeAsync(null, default);
        await pipeline.RunAsync();

        var after = await pipeline.Get<DeliverySummaryService>().SummarizeAsync(a => a.PatientId == "PT-DS1", default);
        var none = await pipeline.Get<DeliverySummaryService>().SummarizeAsync(a => a.PatientId == "PT-OTHER", default);

        Assert.All(before, c => Assert.Equal((0, 0), (c.Sent, c.Failed)));
        Assert.True(before.Sum(c => c.Waiting) > 0);
        Assert.Equal(["email", "lab-alerts"], after.Select(c => c.Channel));
        var email = after[0];
        Assert.Equal((1, 0, 0, 1), (email.Alerts, email.Waiting, email.Failed, email.UpdateNotices + 1));
        Assert.True(email.Sent >= 2 && email.Recipients >= 2, $"{email}");
        Assert.Equal((1, 0, 0), (after[1].Sent, after[1].Recipients, after[1].Failed));
        Assert.Empty(none);
    }
}

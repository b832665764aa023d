using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Alerts;

/// <summary>The queries <c>cartlab process</c>, <c>enroll</c>, <c>event add</c> and <c>monitor</c> print from, on the in-memory ports.</summary>
public class AlertActivityServiceTests
{
    private const string Igg = """
        patient_id,collected_at,analyte,value,unit,accession
        PT-AA1,2024-09-24T08:00:00+02:00,igg,250,mg/dL,AA1-IGG-28
        """;

    [Fact]
    public async Task ForFilesAsync_FirstRun_TheFilesAlertIsChanged()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-AA1");
        var started = pipeline.Time.GetUtcNow();
        await pipeline.DropAsync("lab/igg.csv", Igg);
        await pipeline.RunAsync();

        var alerts = await pipeline.Get<AlertActivityService>().ForFilesAsync(["lab/igg.csv"], started, default);

        Assert.Equal("igg.low", Assert.Single(alerts.Changed).RuleId);
        Assert.Empty(alerts.Earlier);
    }

    [Fact]
    public async Task ForFilesAsync_FileSentAgainLater_ItsAlertIsEarlier_NotChanged()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-AA1");
        await pipeline.DropAsync("lab/igg.csv", Igg);
        await pipeline.RunAsync();
        pipeline.Time.Advance(TimeSpan.FromHours(1));
        var again = pipeline.Time.GetUtcNow();
        await pipeline.DropAsync("lab/igg-again.csv", Igg);
        await pipeline.RunAsync();

        var alerts = await pipeline.Get<AlertActivityService>().ForFilesAsync(["lab/igg-again.csv", "lab/not-there.csv"], again, default);

        Assert.Empty(alerts.Changed);
        Assert.Equal("igg.low", Assert.Single(alerts.Earlier).RuleId);
    }

    [Fact]
    public async Task ChangedSinceAsync_OnlyAlertsRaisedOrChangedAfterTheStart_OfThePatientAsked()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-AA1");
        await pipeline.EnrollAsync("PT-AA2");
        await pipeline.StoreAsync(TestData.Result(Analyte.IgG, day: 28, value: 250m, patientId: "PT-AA1"));
        await pipeline.RunAsync();
        pipeline.Time.Advance(TimeSpan.FromMinutes(5));
        var started = pipeline.Time.GetUtcNow();
        await pipeline.StoreAsync(TestData.Result(Analyte.IgG, day: 28, value: 250m, patientId: "PT-AA2"));
        await pipeline.RunAsync();
        var service = pipeline.Get<AlertActivityService>();

        var all = await service.ChangedSinceAsync(started, null, default);
        var first = await service.ChangedSinceAsync(started, "PT-AA1", default);
        var raised = await service.RaisedOrRetractedSinceAsync(started, default);

        Assert.Equal("PT-AA2", Assert.Single(all).PatientId);
        Assert.Empty(first);
        Assert.Equal("PT-AA2", Assert.Single(raised).PatientId);
        Assert.Equal(2, (await service.ListAsync(null, default)).Count);
        Assert.Single(await service.ListAsync("PT-AA1", default));
    }
}

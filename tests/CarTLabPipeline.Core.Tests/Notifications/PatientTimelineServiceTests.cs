using CarTLabPipeline.Domain;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Results;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Notifications;

/// <summary>The timeline <c>cartlab timeline</c> prints and draws: the followed analytes by day since infusion.</summary>
public class PatientTimelineServiceTests
{
    [Fact]
    public async Task GetAsync_NotEnrolled_SaysSo()
    {
        await using var pipeline = new InMemoryPipeline();

        Assert.Equal(PatientQueryStatus.NotEnrolled, (await pipeline.Get<PatientTimelineService>().GetAsync("PT-NONE", default)).Status);
    }

    [Fact]
    public async Task GetAsync_IgGOnDay28_OneSeriesOnDay28_AndAChart()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-TL");
        await pipeline.StoreAsync(TestData.Result(Analyte.IgG, day: 28, value: 250m, patientId: "PT-TL"));
        var service = pipeline.Get<PatientTimelineService>();

        var timeline = (await service.GetAsync("PT-TL", default)).Value;
        var png = service.RenderPng(timeline!);

        var (analyte, values) = Assert.Single(timeline!.Series);
        Assert.Equal(Analyte.IgG, analyte.Analyte);
        Assert.Equal(28, timeline.Day(timeline.Enrollment.CollectionDate(Assert.Single(values))));
        Assert.Equal(1, timeline.StoredResults);
        Assert.NotNull(png);
        Assert.NotEmpty(pipeline.Charts.Charts);
    }

    [Fact]
    public async Task RenderPng_NoFollowedValues_IsNull()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-TL0");
        var service = pipeline.Get<PatientTimelineService>();

        Assert.Null(service.RenderPng((await service.GetAsync("PT-TL0", default)).Value!));
    }
}

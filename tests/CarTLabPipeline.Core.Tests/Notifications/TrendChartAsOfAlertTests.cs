using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Notifications;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Notifications;

/// <summary>The chart of an alert shows the record as the alert saw it (issue 15.5: the day +120 chart showed day +141).</summary>
public class TrendChartAsOfAlertTests
{
    private static int Day(DateTimeOffset collected) => DateOnly.FromDateTime(collected.DateTime).DayNumber - new DateOnly(2024, 8, 27).DayNumber;

    private static LabResult Received(LabResult r, DateTimeOffset at) => r with { ReceivedAt = at, VersionId = ResultIds.ForVersion(r with { ReceivedAt = at }) };

    [Fact]
    public void ResultsCollectedAfterTheTrigger_AreLeftOut_EvenWhenTheyArrivedInTheSameBatch()
    {
        var batch = new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero);
        LabResult[] history = [Received(Result(Analyte.IgG, 20, 410m), batch), Received(Result(Analyte.IgG, 45, 250m), batch), Received(Result(Analyte.IgG, 91, 240m), batch)];
        var alert = Assert.Single(Fired("igg.low", history[..2])) with { CreatedAt = batch.AddMinutes(1) };

        var asOf = TrendCharts.AsOfAlert(alert, history);

        Assert.Equal([20, 45], asOf.Select(r => Day(r.CollectedAt)));
    }

    [Fact]
    public void AVersionReceivedAfterTheRevision_IsNotShown_TheVersionTheAlertSawIs()
    {
        var raised = new DateTimeOffset(2024, 10, 11, 12, 0, 0, TimeSpan.Zero);
        var low = Received(Result(Analyte.IgG, 45, 250m), raised.AddHours(-1));
        var corrected = Received(low with { Value = 260m, Status = ResultStatus.Corrected }, raised.AddDays(2));
        var alert = Assert.Single(Fired("igg.low", [low])) with { CreatedAt = raised };

        var asOf = TrendCharts.AsOfAlert(alert, [low, corrected]);

        Assert.Equal(250m, Assert.Single(asOf).Value);
    }
}

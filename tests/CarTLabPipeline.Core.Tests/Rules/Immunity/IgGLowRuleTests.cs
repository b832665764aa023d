using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.IgGLow;
using CsCheck;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Core.Tests.Rules.Immunity;

public class IgGLowRuleTests
{
    private static RuleEngine CreateSut(double threshold = 300) =>
        new([new IgGLowRule(Options.Create(new IgGLowOptions { ThresholdMgPerDl = threshold }))]);

    private static IReadOnlyList<Alert> Evaluate(params LabResult[] history) =>
        CreateSut().Evaluate(TestData.Enrollment(), history, TestData.Now);

    [Theory]
    [InlineData(299.9, true)]
    [InlineData(300, false)]
    [InlineData(300.1, false)]
    public void Evaluate_AtTheThreshold_FiresOnlyBelow(double value, bool fires)
    {
        var alerts = Evaluate(TestData.Result(Analyte.IgG, 45, (decimal)value));

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Fact]
    public void Evaluate_LowValue_ExplainsWithValueDayDateAndPreviousValue()
    {
        var alert = Assert.Single(Evaluate(TestData.Result(Analyte.IgG, -5, 452), TestData.Result(Analyte.IgG, 45, 250)));

        Assert.Equal(("igg.low", AlertSeverity.Warning, "IgG below 300 mg/dL", 45), (alert.RuleId, alert.Severity, alert.Title, alert.DayPostInfusion));
        Assert.Equal("IgG 250 mg/dL on day +45 (2024-10-11), below 300 mg/dL; previously 452 mg/dL on day \u22125 (2024-08-22).", alert.Summary);
        Assert.Equal([EvidenceRoles.Trigger, EvidenceRoles.Previous], alert.Evidence.Select(e => e.Role));
        Assert.Equal(250m, alert.Evidence[0].Value);
        Assert.Equal("2465-3", alert.Evidence[0].Loinc);
    }

    [Fact]
    public void Evaluate_RepeatedLowValues_FireOncePerEpisode()
    {
        var alerts = Evaluate(
            TestData.Result(Analyte.IgG, 28, 280),
            TestData.Result(Analyte.IgG, 90, 240),
            TestData.Result(Analyte.IgG, 150, 260));

        Assert.Equal(28, Assert.Single(alerts).DayPostInfusion);
    }

    [Fact]
    public void Evaluate_LowAgainAfterRecovery_StartsANewEpisode()
    {
        var alerts = Evaluate(
            TestData.Result(Analyte.IgG, 28, 280),
            TestData.Result(Analyte.IgG, 90, 300),
            TestData.Result(Analyte.IgG, 150, 260));

        Assert.Equal([28, 150], alerts.Select(a => a.DayPostInfusion));
    }

    [Theory]
    [InlineData("<", 200, true)]
    [InlineData("<", 300, true)]
    [InlineData("<", 500, false)]
    [InlineData(">", 250, false)]
    public void Evaluate_CensoredValues_FireOnlyWhenCertainlyBelow(string comparator, double value, bool fires)
    {
        Assert.Equal(fires, Evaluate(TestData.Result(Analyte.IgG, 45, (decimal)value, comparator)).Count == 1);
    }

    [Fact]
    public void Evaluate_CensoredValueThatCannotTell_DoesNotEndTheEpisode()
    {
        var alerts = Evaluate(
            TestData.Result(Analyte.IgG, 28, 280),
            TestData.Result(Analyte.IgG, 60, 500, "<"),
            TestData.Result(Analyte.IgG, 90, 250));

        Assert.Single(alerts);
    }

    [Theory]
    [InlineData(ResultStatus.Preliminary)]
    [InlineData(ResultStatus.Cancelled)]
    public void Evaluate_NonFinalResults_NeverFire(ResultStatus status)
    {
        Assert.Empty(Evaluate(TestData.Result(Analyte.IgG, 45, 100, status: status)));
    }

    [Fact]
    public void Evaluate_ConfiguredThreshold_IsUsed()
    {
        var alerts = CreateSut(threshold: 400).Evaluate(TestData.Enrollment(), [TestData.Result(Analyte.IgG, 45, 350)], TestData.Now);

        Assert.Equal("IgG below 400 mg/dL", Assert.Single(alerts).Title);
    }

    [Fact]
    public void Evaluate_ShuffledArrivalAndRepetition_GiveTheIdenticalAlertSet()
    {
        var values = Gen.Int[100, 600].Array[1, 25];
        values.Sample(igg =>
        {
            var history = igg.Select((v, i) => TestData.Result(Analyte.IgG, i * 7, v)).ToArray();
            var expected = Evaluate(history).Select(a => a.AlertId).ToList();
            var shuffled = history.OrderBy(r => r.ResultId.GetHashCode(StringComparison.Ordinal)).Reverse().ToArray();
            Assert.Equal(expected, Evaluate(shuffled).Select(a => a.AlertId).ToList());
            Assert.Equal(expected, Evaluate([.. history, .. history]).Select(a => a.AlertId).ToList());
        }, iter: 300);
    }
}

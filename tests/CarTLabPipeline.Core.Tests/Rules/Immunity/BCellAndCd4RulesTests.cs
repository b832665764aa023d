using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Immunity;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Rules.Immunity;

public class BCellRecoveryRuleTests
{
    private static readonly LabResult s_aplasia = Result(Analyte.Cd19Pct, 28, 0m);

    [Theory]
    [InlineData(0.99, false)]
    [InlineData(1.0, true)]
    [InlineData(1.01, true)]
    public void Evaluate_PercentAtTheThreshold_FiresFromOnePercent(double percent, bool fires)
    {
        Assert.Equal(fires, Fired(BCellRecoveryRule.RuleId, [s_aplasia, Result(Analyte.Cd19Pct, 300, (decimal)percent)]).Count == 1);
    }

    [Theory]
    [InlineData("19", "cells/uL", false)]
    [InlineData("20", "/uL", true)]
    [InlineData("0.02", "10^9/L", true)]
    [InlineData("20", "/mm3", true)]
    public void Evaluate_AbsoluteCountInAnySpelling_FiresFromTwentyPerMicrolitre(string value, string unit, bool fires)
    {
        Assert.Equal(fires, Fired(BCellRecoveryRule.RuleId, [s_aplasia, Normalized("cd19_abs", value, unit, 300)]).Count == 1);
    }

    [Theory]
    [InlineData(179, AlertSeverity.Warning)]
    [InlineData(180, AlertSeverity.Info)]
    public void Evaluate_BeforeDay180_IsEarlyAndAWarning(int day, AlertSeverity severity)
    {
        var alert = Assert.Single(Fired(BCellRecoveryRule.RuleId, [s_aplasia, Result(Analyte.Cd19Pct, day, 3m)]));

        Assert.Equal(severity, alert.Severity);
        Assert.Equal(day < 180, alert.Title.StartsWith("Early", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_WithoutPostInfusionAplasia_DoesNotFire()
    {
        Assert.Empty(Fired(BCellRecoveryRule.RuleId, [Result(Analyte.Cd19Pct, -5, 0.2m), Result(Analyte.Cd19Pct, 60, 5m)]));
    }

    [Fact]
    public void Evaluate_TwoConsecutiveRequired_WaitsForConfirmationAndResetsOnAplasia()
    {
        var history = new[]
        {
            s_aplasia, Result(Analyte.Cd19Pct, 100, 2m), Result(Analyte.Cd19Pct, 130, 0.5m),
            Result(Analyte.Cd19Pct, 160, 2m), Result(Analyte.Cd19Pct, 190, 3m),
        };

        var alert = Assert.Single(Fired(BCellRecoveryRule.RuleId, history, o => o.BCellRecovery.ConsecutiveResults = 2));

        Assert.Equal(190, alert.DayPostInfusion);
        Assert.Equal(2, alert.Evidence.Count(e => e.Role == EvidenceRoles.Trigger));
    }
}

public class Cd4ProphylaxisStopRuleTests
{
    [Theory]
    [InlineData("300", "cells/uL", false)]   // must exceed 300
    [InlineData("301", "cells/uL", true)]
    [InlineData("0.3", "10^9/L", false)]
    [InlineData("0.31", "x10E9/L", true)]
    [InlineData(">300", "/uL", true)]
    public void Evaluate_StrictlyAboveThreeHundred_InAnySpelling(string value, string unit, bool fires)
    {
        Assert.Equal(fires, Fired(Cd4ProphylaxisStopRule.RuleId, [Normalized("cd4_abs", value, unit, 330)]).Count == 1);
    }

    [Fact]
    public void Evaluate_FiresOnceOnly()
    {
        var alerts = Fired(Cd4ProphylaxisStopRule.RuleId, [Result(Analyte.Cd4Abs, 300, 320m), Result(Analyte.Cd4Abs, 330, 250m), Result(Analyte.Cd4Abs, 360, 400m)]);

        Assert.Equal(300, Assert.Single(alerts).DayPostInfusion);
    }

    [Fact]
    public void Evaluate_PublishedAlternative_TwoResultsAbove200FourWeeksApart()
    {
        void Published(CarTLabPipeline.Rules.RulesOptions o)
        {
            o.Cd4ProphylaxisStop.ThresholdCellsPerUl = 200;
            o.Cd4ProphylaxisStop.ConsecutiveResults = 2;
            o.Cd4ProphylaxisStop.MinSpanDays = 28;
        }

        Assert.Empty(Fired(Cd4ProphylaxisStopRule.RuleId, [Result(Analyte.Cd4Abs, 200, 220m), Result(Analyte.Cd4Abs, 220, 240m)], Published));
        var alert = Assert.Single(Fired(Cd4ProphylaxisStopRule.RuleId,
            [Result(Analyte.Cd4Abs, 200, 220m), Result(Analyte.Cd4Abs, 220, 240m), Result(Analyte.Cd4Abs, 230, 260m)], Published));
        Assert.Equal(3, alert.Evidence.Count(e => e.Role == EvidenceRoles.Trigger));
        Assert.StartsWith("CD4+ T cells above 200 cells/µL on 3 consecutive results", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BeforeTheMinimumDay_DoesNotCount()
    {
        Assert.Empty(Fired(Cd4ProphylaxisStopRule.RuleId, [Result(Analyte.Cd4Abs, 150, 400m)], o => o.Cd4ProphylaxisStop.MinDay = 180));
    }
}

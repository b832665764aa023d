using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.BCellRecovery;
using CarTLabPipeline.Rules.Cd4ProphylaxisStop;
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

        var alert = Assert.Single(Fired(BCellRecoveryRule.RuleId, history, Configure<BCellRecoveryOptions>(o => o.ConsecutiveResults = 2)));

        Assert.Equal(160, alert.DayPostInfusion); // dated by the first sample of the confirmed run
        Assert.Equal(2, alert.Evidence.Count(e => e.Role == EvidenceRoles.Trigger));
    }

    [Fact]
    public void Evaluate_Confirmed_IsDatedAndGradedByTheFirstRecoveredSample()
    {
        // Aplasia lost on day +170 and confirmed on day +200: the loss happened before day +180, so it is early.
        var history = new[] { s_aplasia, Result(Analyte.Cd19Pct, 170, 2m), Result(Analyte.Cd19Pct, 200, 3m) };

        var alert = Assert.Single(Fired(BCellRecoveryRule.RuleId, history, Configure<BCellRecoveryOptions>(o => o.ConsecutiveResults = 2)));

        Assert.Equal((170, AlertSeverity.Warning), (alert.DayPostInfusion, alert.Severity));
        Assert.Equal("Early B-cell recovery (day +170, before day +180)", alert.Title);
        Assert.StartsWith("CD19+ B cells 2 % of lymphocytes on day +170 (2025-02-13), confirmed by the 2nd consecutive recovered sample (3 % of lymphocytes on day +200",
            alert.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "1st")]
    [InlineData(2, "2nd")]
    [InlineData(3, "3rd")]
    [InlineData(4, "4th")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(13, "13th")]
    [InlineData(21, "21st")]
    [InlineData(22, "22nd")]
    [InlineData(111, "111th")]
    public void Ordinals_AreEnglish(int n, string expected)
    {
        Assert.Equal(expected, CarTLabPipeline.Rules.Ordinals.Of(n));
    }

    [Fact]
    public void Evaluate_ThreeConsecutiveRequired_SaysThirdNotThth()
    {
        var history = new[] { s_aplasia, Result(Analyte.Cd19Pct, 200, 2m), Result(Analyte.Cd19Pct, 230, 3m), Result(Analyte.Cd19Pct, 260, 4m) };

        var alert = Assert.Single(Fired(BCellRecoveryRule.RuleId, history, Configure<BCellRecoveryOptions>(o => o.ConsecutiveResults = 3)));

        Assert.Equal((200, AlertSeverity.Info), (alert.DayPostInfusion, alert.Severity));
        Assert.Contains("confirmed by the 3rd consecutive recovered sample (4 % of lymphocytes on day +260", alert.Summary, StringComparison.Ordinal);
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
        var published = Configure<Cd4ProphylaxisStopOptions>(o =>
        {
            o.ThresholdCellsPerUl = 200;
            o.ConsecutiveResults = 2;
            o.MinSpanDays = 28;
        });

        Assert.Empty(Fired(Cd4ProphylaxisStopRule.RuleId, [Result(Analyte.Cd4Abs, 200, 220m), Result(Analyte.Cd4Abs, 220, 240m)], published));
        var alert = Assert.Single(Fired(Cd4ProphylaxisStopRule.RuleId,
            [Result(Analyte.Cd4Abs, 200, 220m), Result(Analyte.Cd4Abs, 220, 240m), Result(Analyte.Cd4Abs, 230, 260m)], published));
        Assert.Equal(3, alert.Evidence.Count(e => e.Role == EvidenceRoles.Trigger));
        Assert.StartsWith("CD4+ T cells above 200 cells/µL on 3 consecutive results", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_BeforeTheMinimumDay_DoesNotCount()
    {
        Assert.Empty(Fired(Cd4ProphylaxisStopRule.RuleId, [Result(Analyte.Cd4Abs, 150, 400m)], Configure<Cd4ProphylaxisStopOptions>(o => o.MinDay = 180)));
    }
}

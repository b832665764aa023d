using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Counts;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Rules.Counts;

public class CytopeniaRulesTests
{
    [Theory]
    [InlineData("anc.severe-neutropenia", "anc", "0.49", "10^9/L", true)]
    [InlineData("anc.severe-neutropenia", "anc", "0.5", "10^9/L", false)]
    [InlineData("anc.severe-neutropenia", "anc", "499", "/uL", true)]
    [InlineData("anc.severe-neutropenia", "anc", "0.5", "G/L", false)]
    [InlineData("plt.severe-thrombocytopenia", "plt", "24", "K/uL", true)]
    [InlineData("plt.severe-thrombocytopenia", "plt", "25", "10^9/L", false)]
    [InlineData("hgb.severe-anemia", "hgb", "7.9", "g/dL", true)]
    [InlineData("hgb.severe-anemia", "hgb", "80", "g/L", false)]
    [InlineData("hgb.severe-anemia", "hgb", "4.9", "mmol/L", true)]   // 7.89 g/dL
    [InlineData("hgb.severe-anemia", "hgb", "5.0", "mmol/L", false)]  // 8.06 g/dL
    public void Evaluate_AtTheThreshold_FiresOnlyBelow(string rule, string analyte, string value, string unit, bool fires)
    {
        Assert.Equal(fires, Fired(rule, [Normalized(analyte, value, unit, 20)]).Count == 1);
    }

    [Theory]
    [InlineData(13, false)]
    [InlineData(14, true)]
    public void Evaluate_BeforeDay14_IsExpectedAfterLymphodepletion(int day, bool fires)
    {
        Assert.Equal(fires, Fired(SevereNeutropeniaRule.RuleId, [Result(Analyte.Anc, day, 0.1m)]).Count == 1);
    }

    [Fact]
    public void Evaluate_EarlyEpisodeStillLowOnDay14_IsRaisedThen()
    {
        var alert = Assert.Single(Fired(SevereNeutropeniaRule.RuleId, [Result(Analyte.Anc, 5, 0.1m), Result(Analyte.Anc, 10, 0.2m), Result(Analyte.Anc, 16, 0.3m)]));

        Assert.Equal(16, alert.DayPostInfusion);
    }

    [Fact]
    public void Evaluate_EarlyDropAfterARecovery_IsRaised()
    {
        var alerts = Fired(SevereNeutropeniaRule.RuleId, [Result(Analyte.Anc, 3, 0.1m), Result(Analyte.Anc, 7, 1.2m), Result(Analyte.Anc, 10, 0.3m)]);

        Assert.Equal(10, Assert.Single(alerts).DayPostInfusion);
    }

    [Fact]
    public void Evaluate_OncePerEpisode()
    {
        var alerts = Fired(SevereThrombocytopeniaRule.RuleId, [
            Result(Analyte.Plt, 20, 20m), Result(Analyte.Plt, 25, 15m), Result(Analyte.Plt, 30, 60m), Result(Analyte.Plt, 40, 10m),
        ]);

        Assert.Equal([20, 40], alerts.Select(a => a.DayPostInfusion));
    }

    [Theory]
    [InlineData(25, 0.3, "CTCAE grade 4.")]
    [InlineData(45, 0.3, "CTCAE grade 4; late ICAHT grade 3 (EHA/EBMT 2023")]
    [InlineData(45, 0.05, "CTCAE grade 4; late ICAHT grade 4 (EHA/EBMT 2023")]
    public void Evaluate_Neutropenia_StatesCtcaeAndLateIcahtGrades(int day, double anc, string expected)
    {
        var alert = Assert.Single(Fired(SevereNeutropeniaRule.RuleId, [Result(Analyte.Anc, day, (decimal)anc)]));

        Assert.Contains(expected, alert.Summary, StringComparison.Ordinal);
        Assert.Equal(day > 30, alert.Summary.Contains("ICAHT", StringComparison.Ordinal));
    }
}

public class CountsRecoveryRuleTests
{
    private static LabResult[] Day(int day, decimal anc, decimal plt, decimal hgb) =>
        [Result(Analyte.Anc, day, anc), Result(Analyte.Plt, day, plt, hour: 9), Result(Analyte.Hgb, day, hgb, hour: 10)];

    [Theory]
    [InlineData(1.0, 100, 10.0, true)]
    [InlineData(0.99, 100, 10.0, false)]
    [InlineData(1.0, 99, 10.0, false)]
    [InlineData(1.0, 100, 9.9, false)]
    public void Evaluate_AllThreeAtTheirThresholdsOnOneDay_AfterCytopenia(double anc, double plt, double hgb, bool fires)
    {
        var history = Day(7, 0.1m, 30m, 8.5m).Concat(Day(28, (decimal)anc, (decimal)plt, (decimal)hgb));

        Assert.Equal(fires, Fired(CountsRecoveryRule.RuleId, history).Count == 1);
    }

    [Fact]
    public void Evaluate_WithoutCytopeniaPostInfusion_DoesNotFire()
    {
        Assert.Empty(Fired(CountsRecoveryRule.RuleId, Day(-5, 0.2m, 20m, 7m).Concat(Day(28, 2m, 150m, 12m))));
    }

    [Fact]
    public void Evaluate_ValuesOnDifferentDays_DoNotCombine()
    {
        var history = Day(7, 0.1m, 30m, 8.5m).Concat([Result(Analyte.Anc, 27, 1.5m), Result(Analyte.Plt, 28, 150m), Result(Analyte.Hgb, 28, 11m)]);

        Assert.Empty(Fired(CountsRecoveryRule.RuleId, history));
    }
}

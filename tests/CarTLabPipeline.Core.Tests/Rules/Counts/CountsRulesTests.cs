using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.CountsRecovery;
using CarTLabPipeline.Rules.SevereNeutropenia;
using CarTLabPipeline.Rules.SevereThrombocytopenia;
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
        var alerts = Fired(SevereNeutropeniaRule.RuleId, [
            Result(Analyte.Anc, 3, 0.1m), Result(Analyte.Anc, 5, 0.6m), Result(Analyte.Anc, 6, 0.9m), Result(Analyte.Anc, 7, 1.2m), Result(Analyte.Anc, 10, 0.3m),
        ]);

        var alert = Assert.Single(alerts);
        Assert.Equal(10, alert.DayPostInfusion);
        Assert.Contains("(before day +14, after recovery on day +7)", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ASingleValueAboveDuringAplasia_IsNotARecovery()
    {
        // docs/clinical.md §2.6: recovery is ANC ≥ 0.5 on 3 consecutive values on different days.
        Assert.Empty(Fired(SevereNeutropeniaRule.RuleId, [Result(Analyte.Anc, 2, 0.2m), Result(Analyte.Anc, 4, 0.6m), Result(Analyte.Anc, 6, 0.3m)]));
    }

    [Fact]
    public void Evaluate_ThreeValuesOnOneDay_AreNotThreeDays()
    {
        var history = new[]
        {
            Result(Analyte.Anc, 2, 0.2m), Result(Analyte.Anc, 4, 0.6m, hour: 6), Result(Analyte.Anc, 4, 0.7m, hour: 12), Result(Analyte.Anc, 4, 0.8m, hour: 18),
            Result(Analyte.Anc, 6, 0.3m),
        };

        Assert.Empty(Fired(SevereNeutropeniaRule.RuleId, history));
    }

    [Theory]
    [InlineData(new[] { 3, 4, 5 }, 1)]   // 3 consecutive days: recovered, the day +8 drop is raised
    [InlineData(new[] { 3, 5, 7 }, 0)]   // 3 values but not on consecutive days
    public void Evaluate_Platelets_RecoverOnThreeConsecutiveDays(int[] days, int expected)
    {
        var history = new List<LabResult> { Result(Analyte.Plt, 1, 8m) };
        history.AddRange(days.Select(d => Result(Analyte.Plt, d, 30m)));
        history.Add(Result(Analyte.Plt, 8, 10m));

        Assert.Equal(expected, Fired(SevereThrombocytopeniaRule.RuleId, history).Count);
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
    [InlineData(25, 0.3, "CTCAE grade 4; early ICAHT cannot be graded so far: ANC not measured on 25 of days 0–25")]
    [InlineData(45, 0.3, "CTCAE grade 4; late ICAHT grade 3 (EHA/EBMT 2023")]
    [InlineData(45, 0.05, "CTCAE grade 4; late ICAHT grade 4 (EHA/EBMT 2023")]
    public void Evaluate_Neutropenia_StatesCtcaeAndIcahtGrades(int day, double anc, string expected)
    {
        var alert = Assert.Single(Fired(SevereNeutropeniaRule.RuleId, [Result(Analyte.Anc, day, (decimal)anc)]));

        Assert.Contains(expected, alert.Summary, StringComparison.Ordinal);
        Assert.Equal(day > 30, alert.Summary.Contains("late ICAHT", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_Neutropenia_DailyCountsToDay14_StateTheEarlyIcahtGrade()
    {
        // ANC ≤ 0.5 every day from day 1 to day 14 (day 0 not measured): 14 days → early ICAHT grade 3 either way.
        var history = Enumerable.Range(1, 14).Select(d => Result(Analyte.Anc, d, 0.3m));

        var alert = Assert.Single(Fired(SevereNeutropeniaRule.RuleId, history));

        Assert.Equal(14, alert.DayPostInfusion);
        Assert.Contains("early ICAHT grade 3 so far (ANC ≤ 0.5 ×10⁹/L on 14 of days 0–14, 1 not measured; EHA/EBMT 2023, final at day +30)", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Neutropenia_CountsEveryOtherDay_InterpolateShortGaps()
    {
        // Counts every other day: ANC ≤ 0.5 on days 2–10 (9 days, the odd days between agree) and on day 16; days 12 and 14
        // are two values above, not a recovery. Days 1, 11 and 15 sit between values that disagree: unknown. 10 days: grade 2.
        var history = new[]
        {
            Result(Analyte.Anc, 0, 1.5m), Result(Analyte.Anc, 2, 0.4m), Result(Analyte.Anc, 4, 0.1m), Result(Analyte.Anc, 6, 0.2m), Result(Analyte.Anc, 8, 0.3m),
            Result(Analyte.Anc, 10, 0.4m), Result(Analyte.Anc, 12, 0.7m), Result(Analyte.Anc, 14, 0.8m), Result(Analyte.Anc, 16, 0.4m),
        };

        var alert = Assert.Single(Fired(SevereNeutropeniaRule.RuleId, history));

        Assert.Equal(16, alert.DayPostInfusion);
        Assert.Contains("early ICAHT grade 2 so far (ANC ≤ 0.5 ×10⁹/L on 10 of days 0–16, 3 not measured;", alert.Summary, StringComparison.Ordinal);
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

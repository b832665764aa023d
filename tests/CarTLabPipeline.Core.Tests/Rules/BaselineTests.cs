using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.BCellRecovery;
using CarTLabPipeline.Rules.Cd4ProphylaxisStop;
using CarTLabPipeline.Rules.CountsRecovery;
using CarTLabPipeline.Rules.IgGLow;
using CarTLabPipeline.Rules.MrdNegativeConversion;
using CarTLabPipeline.Rules.MrdPositiveConversion;
using CarTLabPipeline.Rules.MrdRising;
using CarTLabPipeline.Rules.SevereNeutropenia;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Rules;

/// <summary>Pre-infusion results are the baseline every rule compares with; follow-up rules fire only from day 0 on.</summary>
public class BaselineTests
{
    [Fact]
    public void MrdRising_DuringBridging_IsBaselineNotAnAlert()
    {
        var history = new[] { Result(Analyte.Mrd, -12, 0.07m), Result(Analyte.Mrd, -5, 0.7m) };

        Assert.Empty(Fired(MrdRisingRule.RuleId, history));
    }

    [Fact]
    public void MrdRising_FromThePreInfusionBaseline_IsRaisedOnTheFollowUpValue()
    {
        var alert = Assert.Single(Fired(MrdRisingRule.RuleId, [Result(Analyte.Mrd, -5, 0.07m), Result(Analyte.Mrd, 28, 0.9m)]));

        Assert.Equal(28, alert.DayPostInfusion);
        Assert.Contains("day −5", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void IgGLow_PreInfusionValue_NeitherAlertsNorHidesTheDay28One()
    {
        var alert = Assert.Single(Fired(IgGLowRule.RuleId, [Result(Analyte.IgG, -5, 240m), Result(Analyte.IgG, 28, 250m)]));

        Assert.Equal(28, alert.DayPostInfusion);
        Assert.Contains("previously 240 mg/dL on day −5", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void MrdNegativeConversion_DuringBridging_IsANegativeBaseline()
    {
        var history = new[]
        {
            Result(Analyte.Mrd, -30, 2.1m), Result(Analyte.Mrd, -5, 0.01m, "<", sensitivity: 0.0001m),
            Result(Analyte.Mrd, 28, 0.01m, "<", sensitivity: 0.0001m),
        };

        Assert.Empty(Fired(MrdNegativeConversionRule.RuleId, history));
    }

    [Fact]
    public void MrdNegativeConversion_AfterAPositiveBaseline_IsRaisedOnDay28()
    {
        var alert = Assert.Single(Fired(MrdNegativeConversionRule.RuleId,
            [Result(Analyte.Mrd, -5, 0.7m), Result(Analyte.Mrd, 28, 0.01m, "<", sensitivity: 0.0001m)]));

        Assert.Equal(28, alert.DayPostInfusion);
    }

    [Fact]
    public void MrdPositiveConversion_NeedsAFollowUpNegative()
    {
        Assert.Empty(Fired(MrdPositiveConversionRule.RuleId, [Result(Analyte.Mrd, -5, 0.01m, "<", sensitivity: 0.0001m), Result(Analyte.Mrd, 60, 0.5m)]));
    }

    [Fact]
    public void Cytopenia_ARecoveryBeforeInfusion_DoesNotMakeAnEarlyDropAlert()
    {
        var history = new[] { Result(Analyte.Anc, -6, 0.2m), Result(Analyte.Anc, -5, 1.2m), Result(Analyte.Anc, -4, 1.1m), Result(Analyte.Anc, -3, 1.3m), Result(Analyte.Anc, 5, 0.2m) };

        Assert.Empty(Fired(SevereNeutropeniaRule.RuleId, history));
    }

    [Fact]
    public void Cd4_PreInfusionCountAboveTheThreshold_DoesNotFire()
    {
        Assert.Empty(Fired(Cd4ProphylaxisStopRule.RuleId, [Result(Analyte.Cd4Abs, -5, 450m)]));
    }

    [Fact]
    public void BCellRecovery_PreInfusionAplasia_IsNotTheAplasiaThatEnds()
    {
        Assert.Empty(Fired(BCellRecoveryRule.RuleId, [Result(Analyte.Cd19Pct, -5, 0.1m), Result(Analyte.Cd19Pct, 60, 4m)]));
    }

    [Fact]
    public void CountsRecovery_AfterPreInfusionCytopeniaOnly_DoesNotFire()
    {
        LabResult[] Day(int day, decimal anc, decimal plt, decimal hgb) =>
            [Result(Analyte.Anc, day, anc), Result(Analyte.Plt, day, plt, hour: 9), Result(Analyte.Hgb, day, hgb, hour: 10)];

        Assert.Empty(Fired(CountsRecoveryRule.RuleId, Day(-5, 0.2m, 20m, 7m).Concat(Day(28, 2m, 150m, 12m))));
    }

    [Fact]
    public void EveryAlert_RestsOnAFollowUpTrigger()
    {
        var history = new[]
        {
            Result(Analyte.Mrd, -20, 0.05m), Result(Analyte.Mrd, -5, 0.9m), Result(Analyte.IgG, -5, 150m), Result(Analyte.Anc, -5, 0.1m),
            Result(Analyte.Plt, -5, 10m), Result(Analyte.Hgb, -5, 7m), Result(Analyte.Cd4Abs, -5, 800m), Result(Analyte.Cd19Pct, -5, 12m),
        };

        Assert.DoesNotContain(Engine().Evaluate(Enrollment(), history, Now), a => a.RuleId != "monitoring.overdue");
    }
}

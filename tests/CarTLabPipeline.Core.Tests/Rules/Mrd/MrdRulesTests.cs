using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Mrd;
using CarTLabPipeline.Rules.MrdNegativeConversion;
using CarTLabPipeline.Rules.MrdNoResponse;
using CarTLabPipeline.Rules.MrdPositiveConversion;
using CarTLabPipeline.Rules.MrdRising;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Rules.Mrd;

public class MrdClassifierTests
{
    [Theory]
    [InlineData(0.01, null, null, 1e-4, MrdState.Positive)]        // exactly 10⁻⁴ (0.01 %) is positive
    [InlineData(0.0099, null, null, 1e-4, MrdState.DetectableLow)]
    [InlineData(0.7, null, null, 1e-4, MrdState.Positive)]
    [InlineData(0.01, "<", null, 1e-4, MrdState.Negative)]
    [InlineData(0.01, "<", null, 1e-3, MrdState.NotEvaluable)]     // negative, but the assay only reaches 10⁻³
    [InlineData(0.05, "<", null, 1e-4, MrdState.NotEvaluable)]     // "<0.05 %" does not say below 10⁻⁴
    [InlineData(0.01, "<=", null, 1e-4, MrdState.NotEvaluable)]
    [InlineData(0.05, ">", null, 1e-4, MrdState.Positive)]
    [InlineData(null, null, false, 1e-4, MrdState.Negative)]
    [InlineData(null, null, true, 1e-4, MrdState.DetectableLow)]
    public void Classify_AgainstTenToTheMinusFour(double? percent, string? comparator, bool? detected, double sensitivity, MrdState expected)
    {
        var r = Result(Analyte.Mrd, 28, (decimal?)percent, comparator, sensitivity: (decimal)sensitivity, detected: detected);

        Assert.Equal(expected, MrdClassifier.Classify(r, 0.0001m, null));
    }

    [Fact]
    public void Classify_NegativeWithoutStatedSensitivity_UsesTheConfiguredAssayDefault()
    {
        var r = Result(Analyte.Mrd, 28, null, detected: false);

        Assert.Equal(MrdState.Negative, MrdClassifier.Classify(r, 0.0001m, 0.0001m));
        Assert.Equal(MrdState.NotEvaluable, MrdClassifier.Classify(r, 0.0001m, null));
    }

    [Fact]
    public void Classify_FractionUnit_IsComparedLikePercent()
    {
        Assert.Equal(MrdState.Positive, MrdClassifier.Classify(Normalized("mrd", "0.0001", "1", 28), 0.0001m, 0.0001m));
        Assert.Equal(MrdState.DetectableLow, MrdClassifier.Classify(Normalized("mrd", "0.00009", "1", 28), 0.0001m, 0.0001m));
        Assert.Equal(MrdState.Negative, MrdClassifier.Classify(Normalized("mrd", "<0.01", "%", 28, "0.01%"), 0.0001m, null));
    }
}

public class MrdNegativeConversionRuleTests
{
    [Fact]
    public void Evaluate_NegativeAfterPreInfusionPositive_FiresOnceWithBothValues()
    {
        var alerts = Fired(MrdNegativeConversionRule.RuleId, [
            Result(Analyte.Mrd, -5, 0.7m),
            Result(Analyte.Mrd, 28, 0.01m, "<", sensitivity: 0.0001m),
            Result(Analyte.Mrd, 90, null, detected: false),
        ]);

        var alert = Assert.Single(alerts);
        Assert.Equal((28, AlertSeverity.Info), (alert.DayPostInfusion, alert.Severity));
        Assert.Equal("MRD <0.01 % (sensitivity 10⁻⁴) on day +28 (2024-09-24); previously 0.7 % on day \u22125 (2024-08-22). MRD negative at the 10⁻⁴ level.", alert.Summary);
    }

    [Fact]
    public void Evaluate_NegativeWithInsufficientSensitivity_DoesNotCount()
    {
        Assert.Empty(Fired(MrdNegativeConversionRule.RuleId, [Result(Analyte.Mrd, -5, 0.7m), Result(Analyte.Mrd, 28, 0.1m, "<", sensitivity: 0.001m)]));
    }

    [Fact]
    public void Evaluate_NeverPositive_DoesNotFire()
    {
        Assert.Empty(Fired(MrdNegativeConversionRule.RuleId, [Result(Analyte.Mrd, 28, 0.01m, "<", sensitivity: 0.0001m)]));
    }
}

public class MrdPositiveConversionRuleTests
{
    private static readonly LabResult s_negative = Result(Analyte.Mrd, 28, 0.01m, "<", sensitivity: 0.0001m);

    [Theory]
    [InlineData(0.0099, AlertSeverity.Warning)] // just below 10⁻⁴: detectable, indeterminate
    [InlineData(0.01, AlertSeverity.Critical)]  // at 10⁻⁴
    [InlineData(0.0101, AlertSeverity.Critical)]
    public void Evaluate_AfterNegativity_SeverityFollowsTheThreshold(double percent, AlertSeverity severity)
    {
        var alert = Assert.Single(Fired(MrdPositiveConversionRule.RuleId, [s_negative, Result(Analyte.Mrd, 120, (decimal)percent)]));

        Assert.Equal((severity, 120), (alert.Severity, alert.DayPostInfusion));
        Assert.Contains("after MRD negativity on day +28", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PositiveWithoutEarlierPostInfusionNegative_DoesNotFire()
    {
        Assert.Empty(Fired(MrdPositiveConversionRule.RuleId, [Result(Analyte.Mrd, -10, 0.01m, "<", sensitivity: 0.0001m), Result(Analyte.Mrd, 28, 0.5m)]));
    }

    [Fact]
    public void Evaluate_IndeterminateThenPositive_RaisesWarningThenCritical_AndPersistingPositivesOnce()
    {
        var alerts = Fired(MrdPositiveConversionRule.RuleId, [
            s_negative,
            Result(Analyte.Mrd, 90, 0.003m),
            Result(Analyte.Mrd, 100, 0.004m),
            Result(Analyte.Mrd, 120, 0.05m),
            Result(Analyte.Mrd, 140, 0.8m),
        ]);

        Assert.Equal([(90, AlertSeverity.Warning), (120, AlertSeverity.Critical)], alerts.Select(a => (a.DayPostInfusion, a.Severity)));
    }
}

public class MrdRisingRuleTests
{
    [Theory]
    [InlineData(0.5, true)]    // exactly 1 log above 0.05 %
    [InlineData(0.49, false)]
    [InlineData(2.0, true)]
    public void Evaluate_RiseBetweenPositives_FiresFromOneLog(double percent, bool fires)
    {
        var alerts = Fired(MrdRisingRule.RuleId, [Result(Analyte.Mrd, 90, 0.05m), Result(Analyte.Mrd, 120, (decimal)percent)]);

        Assert.Equal(fires, alerts.Count == 1);
    }

    [Fact]
    public void Evaluate_NegativeBetween_StartsANewRun()
    {
        Assert.Empty(Fired(MrdRisingRule.RuleId, [
            Result(Analyte.Mrd, 90, 0.02m),
            Result(Analyte.Mrd, 100, 0.01m, "<", sensitivity: 0.0001m),
            Result(Analyte.Mrd, 120, 0.5m),
        ]));
    }

    [Fact]
    public void Evaluate_ConfiguredHalfLog_IsUsed()
    {
        var alert = Assert.Single(Fired(MrdRisingRule.RuleId, [Result(Analyte.Mrd, 90, 0.05m), Result(Analyte.Mrd, 120, 0.2m)], Configure<MrdRisingOptions>(o => o.MinLogIncrease = 0.5)));

        Assert.Equal("MRD rising ≥ 0.5 log", alert.Title);
        Assert.Contains("up 0.6 log10 from 0.05 %", alert.Summary, StringComparison.Ordinal);
    }
}

public class MrdNoResponseRuleTests
{
    private static LabResult Negative(int day) => Result(Analyte.Mrd, day, 0.01m, "<", sensitivity: 0.0001m);

    [Fact]
    public void Evaluate_NoResponseAtDay28_IsCriticalEvenWithoutARise()
    {
        // 0.7 % → 0.5 % at day +28 → 0.9 % at day +91: no rise of a log, no negative in between; today's rules said nothing.
        var history = new[] { Result(Analyte.Mrd, -5, 0.7m), Result(Analyte.Mrd, 28, 0.5m), Result(Analyte.Mrd, 91, 0.9m) };

        var alert = Assert.Single(Fired(MrdNoResponseRule.RuleId, history));

        Assert.Equal((28, AlertSeverity.Critical), (alert.DayPostInfusion, alert.Severity));
        Assert.Equal("No MRD response at day +28 (MRD ≥ 10⁻⁴)", alert.Title);
        Assert.Contains("pre-infusion MRD 0.7 % on day −5", alert.Summary, StringComparison.Ordinal);
        Assert.Contains("CAR-T board", alert.SuggestedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.01, null, true)]      // exactly 10⁻⁴
    [InlineData(0.009, null, false)]    // detectable below 10⁻⁴: indeterminate, not this rule
    [InlineData(0.01, "<", false)]      // negative
    public void Evaluate_AtTheThreshold(double percent, string? comparator, bool fires)
    {
        var r = Result(Analyte.Mrd, 28, (decimal)percent, comparator, sensitivity: 0.0001m);

        Assert.Equal(fires, Fired(MrdNoResponseRule.RuleId, [r]).Count == 1);
    }

    [Fact]
    public void Evaluate_PositiveAtAnUnknownLevel_Fires()
    {
        var alert = Assert.Single(Fired(MrdNoResponseRule.RuleId, [Result(Analyte.Mrd, 30, null, detected: true)]));

        Assert.Contains("MRD detected at an unknown level", alert.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(13, 0)]
    [InlineData(14, 1)]
    [InlineData(42, 1)]
    [InlineData(43, 0)]
    public void Evaluate_OnlyInTheDay28Window(int day, int expected)
    {
        Assert.Equal(expected, Fired(MrdNoResponseRule.RuleId, [Result(Analyte.Mrd, day, 0.3m)]).Count);
    }

    [Fact]
    public void Evaluate_OnlyTheFirstAssessmentOfTheWindowCounts()
    {
        Assert.Empty(Fired(MrdNoResponseRule.RuleId, [Negative(21), Result(Analyte.Mrd, 35, 0.3m)]));
        Assert.Equal(21, Assert.Single(Fired(MrdNoResponseRule.RuleId, [Result(Analyte.Mrd, 21, 0.3m), Negative(35)])).DayPostInfusion);
    }

    [Fact]
    public void Evaluate_BloodOrPreliminaryMrd_IsNotTheAssessment()
    {
        Assert.Empty(Fired(MrdNoResponseRule.RuleId, [Result(Analyte.Mrd, 28, 0.5m) with { Specimen = "PB" }]));
        Assert.Empty(Fired(MrdNoResponseRule.RuleId, [Result(Analyte.Mrd, 28, 0.5m, status: ResultStatus.Preliminary)]));
    }
}

using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.BCellRecovery;
using CarTLabPipeline.Rules.Cd4ProphylaxisStop;
using CarTLabPipeline.Rules.CountsRecovery;
using CarTLabPipeline.Rules.IgGLow;
using CarTLabPipeline.Rules.MonitoringOverdue;
using CarTLabPipeline.Rules.Mrd;
using CarTLabPipeline.Rules.MrdNegativeConversion;
using CarTLabPipeline.Rules.MrdNoResponse;
using CarTLabPipeline.Rules.MrdPositiveConversion;
using CarTLabPipeline.Rules.MrdRising;
using CarTLabPipeline.Rules.SevereAnemia;
using CarTLabPipeline.Rules.SevereNeutropenia;
using CarTLabPipeline.Rules.SevereThrombocytopenia;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Rules.Monitoring;

public class MonitoringOverdueRuleTests
{
    private static readonly DateOnly s_infusion = new(2024, 8, 27);

    private static List<CarTLabPipeline.Alerts.Alert> At(DateOnly today, IEnumerable<LabResult> history, DateTimeOffset? enrolledAt = null)
    {
        var enrollment = Enrollment() with { EnrolledAt = enrolledAt ?? new DateTimeOffset(2024, 8, 20, 0, 0, 0, TimeSpan.Zero) };
        var asOf = new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(2));
        return Engine().Evaluate(enrollment, history, asOf).Where(a => a.RuleId == MonitoringOverdueRule.RuleId).ToList();
    }

    [Theory]
    [InlineData(42, 0)]   // the day +28 window (day +14 … +42) is still open on day +42
    [InlineData(43, 1)]   // closed
    public void Evaluate_RaisedOnlyOnceTheWindowHasClosed(int day, int expected)
    {
        Assert.Equal(expected, At(s_infusion.AddDays(day), []).Count);
    }

    [Theory]
    [InlineData(14, 0)]
    [InlineData(42, 0)]
    [InlineData(13, 1)]
    [InlineData(43, 1)]
    public void Evaluate_AnMrdResultInsideTheWindow_Satisfies(int mrdDay, int expected)
    {
        Assert.Equal(expected, At(s_infusion.AddDays(60), [Result(Analyte.Mrd, mrdDay, 0.01m, "<", sensitivity: 0.0001m)]).Count);
    }

    [Fact]
    public void Evaluate_OneAlertPerMissedAssessment_WithStableDistinctIds()
    {
        var alerts = At(s_infusion.AddDays(400), []);

        Assert.Equal([28, 90, 180, 365], alerts.Select(a => a.DayPostInfusion));
        Assert.Equal(4, alerts.Select(a => a.AlertId).Distinct().Count());
        Assert.Equal("Overdue: month-3 MRD assessment", alerts[1].Title);
        Assert.Equal(alerts.Select(a => a.AlertId), At(s_infusion.AddDays(500), []).Select(a => a.AlertId));
    }

    [Fact]
    public void Evaluate_WindowsClosedBeforeEnrollment_AreNotOverdue()
    {
        var enrolled = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero); // day +127: day +28 and month 3 closed before
        var alerts = At(s_infusion.AddDays(400), [], enrolled);

        Assert.Equal([180, 365], alerts.Select(a => a.DayPostInfusion));
    }
}

using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.MonitoringOverdue;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Rules.Monitoring;

public class MonitoringOverdueRuleTests
{
    private static readonly DateOnly s_infusion = new(2024, 8, 27);

    /// <summary>The bone-marrow MRD overdue alerts.</summary>
    private static List<CarTLabPipeline.Alerts.Alert> At(DateOnly today, IEnumerable<LabResult> history, DateTimeOffset? enrolledAt = null) =>
        All(today, history, enrolledAt).Where(a => a.Title.EndsWith("bone-marrow MRD", StringComparison.Ordinal)).ToList();

    /// <summary>Every overdue alert.</summary>
    private static List<CarTLabPipeline.Alerts.Alert> All(DateOnly today, IEnumerable<LabResult> history, DateTimeOffset? enrolledAt = null, string product = "brexu-cel",
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null)
    {
        var enrollment = Enrollment() with { EnrolledAt = enrolledAt ?? new DateTimeOffset(2024, 8, 20, 0, 0, 0, TimeSpan.Zero), Product = product };
        var asOf = new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(2));
        return Engine(configure).Evaluate(enrollment, history, asOf).Where(a => a.RuleId == MonitoringOverdueRule.RuleId).ToList();
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
        Assert.Equal("Overdue: month-3 bone-marrow MRD", alerts[1].Title);
        Assert.Equal(alerts.Select(a => a.AlertId), At(s_infusion.AddDays(500), []).Select(a => a.AlertId));
    }

    [Fact]
    public void Evaluate_WindowsClosedBeforeEnrollment_AreNotOverdue()
    {
        var enrolled = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero); // day +127: day +28 and month 3 closed before
        var alerts = At(s_infusion.AddDays(400), [], enrolled);

        Assert.Equal([180, 365], alerts.Select(a => a.DayPostInfusion));
    }

    [Fact]
    public void Evaluate_APreliminaryMarrowMrd_IsTheAssessmentTaken()
    {
        // A preliminary marrow MRD on day +28 counts for the schedule (it was taken); it never fires a value rule.
        Assert.Empty(At(s_infusion.AddDays(60), [Result(Analyte.Mrd, 28, 0.5m, status: ResultStatus.Preliminary)]));
    }

    [Fact]
    public void Evaluate_ABloodMrd_IsNotTheMarrowAssessment()
    {
        Assert.Single(At(s_infusion.AddDays(60), [Result(Analyte.Mrd, 28, 0.01m, "<", sensitivity: 0.0001m) with { Specimen = "PB" }]));
    }

    [Fact]
    public void Evaluate_EveryScheduledTest_OneAlertPerMissedWindowNamingIt()
    {
        // Day +100: every test was done except IgG at day +60 and CD4 at month 3.
        var history = new List<LabResult>();
        foreach (var d in new[] { 7, 14, 21, 28, 90 })
        {
            history.AddRange([Result(Analyte.Anc, d, 1m), Result(Analyte.Plt, d, 100m, hour: 9)]);
        }

        history.AddRange([
            Result(Analyte.Mrd, 28, 0.01m, "<", sensitivity: 0.0001m), Result(Analyte.Mrd, 90, 0.01m, "<", sensitivity: 0.0001m),
            Result(Analyte.IgG, 28, 500m), Result(Analyte.IgG, 90, 500m), Result(Analyte.Cd19Pct, 90, 0m),
        ]);

        var alerts = All(s_infusion.AddDays(110), history);

        Assert.Equal(["Overdue: day +60 IgG", "Overdue: month-3 CD4+ T cells"], alerts.Select(a => a.Title));
        Assert.StartsWith("No IgG result between day +50 and day +70", alerts[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TheScheduleIsConfigurablePerProduct()
    {
        void Configure(Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
            Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.Configure<MonitoringOverdueOptions>(services, o => o.Schedule =
            [
                new ScheduledCheck { Key = "cd19", Name = "CD19+ B cells", Analytes = ["cd19_pct"], Days = [30, 60], WindowDays = 7, Products = ["tisa-cel"] },
            ]);

        Assert.Empty(All(s_infusion.AddDays(100), [], product: "brexu-cel", configure: Configure));
        Assert.Equal([30, 60], All(s_infusion.AddDays(100), [], product: "tisa-cel", configure: Configure).Select(a => a.DayPostInfusion));
    }

    [Fact]
    public void Schedule_SaysWhatIsDoneDueOverdueAndUpcoming()
    {
        var enrollment = Enrollment() with { EnrolledAt = new DateTimeOffset(2024, 8, 20, 0, 0, 0, TimeSpan.Zero) };
        var asOf = new DateTimeOffset(s_infusion.AddDays(95).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(2));
        var context = new CarTLabPipeline.Rules.RuleContext(enrollment, [Result(Analyte.Mrd, 30, 0.01m, "<", status: ResultStatus.Preliminary)], asOf, enrollment.EnrolledAt);

        var mrd = FollowUpSchedule.Evaluate(context, new MonitoringOverdueOptions()).Where(t => t.Check.Key == "mrd").ToList();

        Assert.Equal([ScheduleStatus.Done, ScheduleStatus.Due, ScheduleStatus.Upcoming, ScheduleStatus.Upcoming], mrd.Select(t => t.Status));
        Assert.Equal(30, context.Day(mrd[0].CollectedBy!));
    }
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.BCellRecovery;
using CarTLabPipeline.Rules.Cd4ProphylaxisStop;
using CarTLabPipeline.Rules.IgGLow;
using CarTLabPipeline.Rules.MonitoringOverdue;
using CarTLabPipeline.Rules.MrdNoResponse;
using CarTLabPipeline.Rules.MrdPositiveConversion;
using CarTLabPipeline.Rules.SevereNeutropenia;
using CarTLabPipeline.Testing.InMemory;
using static CarTLabPipeline.Core.Tests.TestData;

namespace CarTLabPipeline.Core.Tests.Rules;

/// <summary>How the rules read the enrollment's treatment events (infusion 2024-08-27 = day 0).</summary>
public class TreatmentEventRulesTests
{
    private static readonly DateOnly s_infusion = new(2024, 8, 27);

    private static TreatmentEvent On(TreatmentEventKind kind, int day, string? detail = null) => new() { Kind = kind, Date = s_infusion.AddDays(day), Detail = detail };

    private static Enrollment With(params TreatmentEvent[] events) => Enrollment() with { Events = events };

    // igg.low

    [Fact]
    public void IgGLow_OnReplacement_SaysTheTroughIsBelowTarget_InsteadOfSuggestingToStart()
    {
        var alert = Assert.Single(Fired(IgGLowRule.RuleId, [Result(Analyte.IgG, 60, 280m)],
            enrollment: With(On(TreatmentEventKind.ImmunoglobulinStart, 30, "IVIG"))));

        Assert.Equal("IgG trough below 300 mg/dL on replacement", alert.Title);
        Assert.Equal(IgGLowOptions.DefaultOnReplacementSuggestedAction, alert.SuggestedAction);
        Assert.Contains("on immunoglobulin replacement (IVIG) since day +30 (2024-09-26)", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void IgGLow_ReplacementStartedDuringALowRun_IsANewEpisode()
    {
        var alerts = Fired(IgGLowRule.RuleId, [Result(Analyte.IgG, 28, 250m), Result(Analyte.IgG, 60, 280m)],
            enrollment: With(On(TreatmentEventKind.ImmunoglobulinStart, 30)));

        Assert.Equal([("IgG below 300 mg/dL", 28), ("IgG trough below 300 mg/dL on replacement", 60)], alerts.Select(a => (a.Title, a.DayPostInfusion)));
        Assert.Equal(IgGLowOptions.DefaultSuggestedAction, alerts[0].SuggestedAction);
    }

    [Theory]
    [InlineData(90, "IgG below 300 mg/dL")]        // stopped before the result: off replacement again
    [InlineData(120, "IgG below 300 mg/dL")]       // a stop on the result's day: stopped
    [InlineData(121, "IgG trough below 300 mg/dL on replacement")]
    public void IgGLow_AfterTheStop_IsOffReplacementAgain(int stopDay, string title)
    {
        var alert = Assert.Single(Fired(IgGLowRule.RuleId, [Result(Analyte.IgG, 120, 250m)],
            enrollment: With(On(TreatmentEventKind.ImmunoglobulinStart, 30, "SCIG"), On(TreatmentEventKind.ImmunoglobulinStop, stopDay, "SCIG"))));

        Assert.Equal(title, alert.Title);
    }

    // cd4.prophylaxis-stop

    [Theory]
    [InlineData(190, 0)] // stopped before the qualifying result: the review is done
    [InlineData(200, 0)] // the same day
    [InlineData(210, 1)] // stopped later: the alert stood when the result came
    public void Cd4ProphylaxisStop_NotRaisedOnceProphylaxisWasStopped(int stopDay, int expected)
    {
        var alerts = Fired(Cd4ProphylaxisStopRule.RuleId, [Result(Analyte.Cd4Abs, 100, 150m), Result(Analyte.Cd4Abs, 200, 350m)],
            enrollment: With(On(TreatmentEventKind.ProphylaxisStart, 30), On(TreatmentEventKind.ProphylaxisStop, stopDay)));

        Assert.Equal(expected, alerts.Count);
    }

    [Fact]
    public void Cd4ProphylaxisStop_OneOfTwoStopped_StillAsksForTheReview()
    {
        var alerts = Fired(Cd4ProphylaxisStopRule.RuleId, [Result(Analyte.Cd4Abs, 200, 350m)], enrollment: With(
            On(TreatmentEventKind.ProphylaxisStart, 30, "cotrimoxazole"), On(TreatmentEventKind.ProphylaxisStart, 30, "acyclovir"),
            On(TreatmentEventKind.ProphylaxisStop, 150, "cotrimoxazole")));

        Assert.Single(alerts);
    }

    [Fact]
    public async Task Cd4ProphylaxisStop_StopRecordedLater_RetractsTheOpenAlert_SayingWhy()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-T1");
        await pipeline.StoreAsync(Result(Analyte.Cd4Abs, 30, 350m));
        await pipeline.RunAsync();
        Assert.Equal(AlertStatus.Open, Assert.Single(await pipeline.Alerts.ListForPatientAsync("PT-T1", default)).Alert.Status);

        await pipeline.Get<EnrollmentService>().AddEventAsync("PT-T1", On(TreatmentEventKind.ProphylaxisStop, 30, "cotrimoxazole"), default);
        await pipeline.RunAsync();

        var alert = Assert.Single(await pipeline.Alerts.ListForPatientAsync("PT-T1", default)).Alert;
        Assert.Equal(AlertStatus.Retracted, alert.Status);
        Assert.Equal("prophylaxis was recorded as stopped on 2024-09-26 (cotrimoxazole): the review it asked for is done", alert.RetractionReason);
    }

    // second infusion and allogeneic HSCT: a new day 0

    [Fact]
    public void FollowUps_StartAtTheInfusion_ThenAtEachSecondInfusionOrHsct()
    {
        var followUps = RuleContext.FollowUps(With(On(TreatmentEventKind.Crs, 2), On(TreatmentEventKind.SecondInfusion, 200), On(TreatmentEventKind.AllogeneicHsct, 300)));

        Assert.Equal([(s_infusion, s_infusion.AddDays(200), true), (s_infusion.AddDays(200), s_infusion.AddDays(300), true), (s_infusion.AddDays(300), (DateOnly?)null, false)],
            followUps.Select(f => (f.DayZero, f.EndsOn, f.IsCarT)));
    }

    [Fact]
    public void SecondInfusion_AlertsAfterItCountFromItsDay0_AndEarlierAlertsStandUnchanged()
    {
        List<LabResult> history = [Result(Analyte.IgG, 45, 250m), Result(Analyte.IgG, 150, 400m), Result(Analyte.IgG, 210, 240m)];
        var before = Fired(IgGLowRule.RuleId, history);

        var after = Fired(IgGLowRule.RuleId, history, enrollment: With(On(TreatmentEventKind.SecondInfusion, 200)));

        Assert.Equal((before[0].AlertId, before[0].Summary, 45), (after[0].AlertId, after[0].Summary, after[0].DayPostInfusion)); // the same alert
        Assert.Equal((10, s_infusion.AddDays(200)), (after[1].DayPostInfusion, after[1].InfusionDate!.Value));
        Assert.Contains("on day +10 (2025-03-25)", after[1].Summary, StringComparison.Ordinal);
        Assert.Contains("previously 400 mg/dL on day −50", after[1].Summary, StringComparison.Ordinal); // the history before is the baseline
    }

    [Fact]
    public void SecondInfusion_RecordedAfterAnAlert_RevisionSaysTheNewFollowUpMovedDay0_NotThatTheInfusionDateChanged()
    {
        List<LabResult> history = [Result(Analyte.IgG, 45, 400m), Result(Analyte.IgG, 210, 240m)];
        var enrollment = With(On(TreatmentEventKind.SecondInfusion, 200));
        var before = Assert.Single(Fired(IgGLowRule.RuleId, history));
        var after = Assert.Single(Fired(IgGLowRule.RuleId, history, enrollment: enrollment));

        var change = CarTLabPipeline.Evaluation.AlertRevisions.Describe(before, after, enrollment);

        Assert.Equal(before.AlertId, after.AlertId);
        Assert.NotNull(change);
        Assert.StartsWith($"now counted from the second infusion of {s_infusion.AddDays(200):yyyy-MM-dd}, which started a new follow-up: day +210 is now day +10", change, StringComparison.Ordinal);
        Assert.DoesNotContain("infusion date changed", change, StringComparison.Ordinal);
    }

    [Fact]
    public void SecondInfusion_IsAssessedForMrdResponseAtItsOwnDay28()
    {
        var alerts = Fired(MrdNoResponseRule.RuleId,
            [Result(Analyte.Mrd, 28, 0.01m, "<", sensitivity: 0.0001m), Result(Analyte.Mrd, 180, 0.3m), Result(Analyte.Mrd, 230, 0.5m)],
            enrollment: With(On(TreatmentEventKind.SecondInfusion, 200)));

        var alert = Assert.Single(alerts);
        Assert.Equal((30, s_infusion.AddDays(200)), (alert.DayPostInfusion, alert.InfusionDate!.Value));
        Assert.Contains("pre-infusion MRD 0.3 %", alert.Summary, StringComparison.Ordinal); // the day +180 relapse is the new baseline
    }

    [Fact]
    public void SecondInfusion_ScheduleRestarts_WithIdsOfItsOwn()
    {
        var enrollment = With(On(TreatmentEventKind.SecondInfusion, 200)) with { EnrolledAt = new DateTimeOffset(2024, 8, 20, 0, 0, 0, TimeSpan.Zero) };
        var asOf = new DateTimeOffset(s_infusion.AddDays(260).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(2));

        var overdue = Engine().Evaluate(enrollment, [], asOf).Where(a => a.RuleId == MonitoringOverdueRule.RuleId && a.Title.EndsWith("bone-marrow MRD", StringComparison.Ordinal)).ToList();

        // First follow-up: the windows closed before the second day 0 (day +28, month 3, month 6); second: its day +28.
        Assert.Equal([(28, s_infusion), (90, s_infusion), (180, s_infusion), (28, s_infusion.AddDays(200))], overdue.Select(a => (a.DayPostInfusion, a.InfusionDate!.Value)));
        Assert.Equal(4, overdue.Select(a => a.AlertId).Distinct().Count());
    }

    [Fact]
    public void Hsct_CarTRulesStop_MrdRulesKeepWatchingFromTheTransplantDay0()
    {
        List<LabResult> history = [
            Result(Analyte.Cd19Pct, 28, 0m), Result(Analyte.Cd19Pct, 160, 5m),
            Result(Analyte.Mrd, 28, 0.01m, "<", sensitivity: 0.0001m), Result(Analyte.Mrd, 128, 0.01m, "<", sensitivity: 0.0001m), Result(Analyte.Mrd, 160, 0.05m),
            Result(Analyte.Anc, 110, 0.2m), Result(Analyte.Cd4Abs, 200, 350m),
        ];
        var hsct = With(On(TreatmentEventKind.AllogeneicHsct, 100));

        var without = Engine().Evaluate(Enrollment(), history, Now).Select(a => a.RuleId).ToHashSet();
        var with = Engine().Evaluate(hsct, history, Now);

        Assert.Superset(new HashSet<string> { BCellRecoveryRule.RuleId, SevereNeutropeniaRule.RuleId, Cd4ProphylaxisStopRule.RuleId, MrdPositiveConversionRule.RuleId }, without);
        var mrd = Assert.Single(with, a => a.RuleId == MrdPositiveConversionRule.RuleId);
        Assert.Equal((60, s_infusion.AddDays(100)), (mrd.DayPostInfusion, mrd.InfusionDate!.Value));
        Assert.Contains("after MRD negativity on day +28 (2025-01-02)", mrd.Summary, StringComparison.Ordinal); // the transplant's day +28
        Assert.DoesNotContain(with, a => a.RuleId is BCellRecoveryRule.RuleId or SevereNeutropeniaRule.RuleId or Cd4ProphylaxisStopRule.RuleId);
        Assert.DoesNotContain(with, a => a.RuleId == MonitoringOverdueRule.RuleId && a.InfusionDate == s_infusion.AddDays(100));
    }

    [Fact]
    public async Task Hsct_RecordedLater_RetractsTheCarTAlertsAfterIt_AndKeepsThoseBefore()
    {
        await using var pipeline = new InMemoryPipeline(start: new DateTimeOffset(2025, 6, 1, 8, 0, 0, TimeSpan.Zero));
        await pipeline.EnrollAsync("PT-T1");
        await pipeline.StoreAsync(Result(Analyte.Cd19Pct, 28, 0m), Result(Analyte.Cd19Pct, 120, 5m), Result(Analyte.IgG, 45, 250m));
        await pipeline.RunAsync();

        await pipeline.Get<EnrollmentService>().AddEventAsync("PT-T1", On(TreatmentEventKind.AllogeneicHsct, 100), default);
        await pipeline.RunAsync();

        var alerts = (await pipeline.Alerts.ListForPatientAsync("PT-T1", default)).Select(a => a.Alert).ToList();
        var bcell = Assert.Single(alerts, a => a.RuleId == BCellRecoveryRule.RuleId);
        Assert.Equal(AlertStatus.Retracted, bcell.Status);
        Assert.Equal("the allogeneic HSCT of 2024-12-05 ended the CAR-T follow-up before it: bcell.recovery applies to CAR-T follow-up only", bcell.RetractionReason);
        Assert.Equal(AlertStatus.Open, Assert.Single(alerts, a => a.RuleId == IgGLowRule.RuleId).Status);
    }
}

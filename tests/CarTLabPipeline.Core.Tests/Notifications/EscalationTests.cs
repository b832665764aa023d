using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Notifications;

/// <summary>
/// Escalation of unacknowledged critical alerts to on-call, on the in-memory pipeline and a fake clock: due after
/// <c>Escalation__After</c>, then every <c>Escalation__Repeat</c>; each escalation recorded once and mailed once.
/// </summary>
public class EscalationTests
{
    private const string Patient = "PT-T1";
    private const string OnCall = "oncall@hospital.example";

    private static LabResult Mrd(int day, decimal value, string? comparator = null, ResultStatus status = ResultStatus.Final, int reportedHours = 4)
    {
        var r = TestData.Result(Analyte.Mrd, day, value, comparator, status, patientId: Patient, sensitivity: 0.0001m);
        var identity = ResultIdentity.FromAccession($"FL-{day}", Analyte.Mrd, null);
        var v = r with
        {
            ResultId = ResultIds.ForIdentity(Patient, identity),
            Identity = identity,
            Unit = "%",
            Specimen = "bone marrow",
            ReportedAt = r.CollectedAt.AddHours(reportedHours),
            OriginalValue = comparator + value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return v with { VersionId = ResultIds.ForVersion(v) };
    }

    /// <summary>A pipeline with an on-call list, and a critical <c>mrd.rising</c> alert raised and mailed.</summary>
    private static async Task<(InMemoryPipeline Pipeline, Alert Alert)> RaisedCriticalAsync(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Email:OnCall"] = OnCall, ["Email:PublicBaseUrl"] = "https://cartlab.example" };
        foreach (var (k, v) in settings ?? [])
        {
            all[k] = v;
        }

        var pipeline = new InMemoryPipeline(all);
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(Mrd(28, 0.01m, "<"), Mrd(91, 0.05m), Mrd(120, 0.8m));
        await pipeline.RunAsync();
        var alert = Assert.Single(pipeline.Alerts.All(), a => a.Alert.RuleId == "mrd.rising").Alert;
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        return (pipeline, alert);
    }

    private static List<EmailMessage> Escalations(InMemoryPipeline pipeline, Alert alert) =>
        [.. pipeline.EmailSender.SentTo(OnCall).Where(m => m.Subject.StartsWith("[CAR-T · escalated", StringComparison.Ordinal) && m.Text.Contains(alert.AlertId, StringComparison.Ordinal))];

    private static Alert Stored(InMemoryPipeline pipeline, string alertId) => pipeline.Alerts.All().Single(a => a.Alert.AlertId == alertId).Alert;

    /// <summary>Runs one escalation pass and says how many escalations <paramref name="alertId"/> has after it.</summary>
    private static async Task<int> PassAsync(InMemoryPipeline pipeline, string alertId)
    {
        await pipeline.Get<EscalationService>().RunAsync(default);
        return Stored(pipeline, alertId).Escalations.Count;
    }

    [Fact]
    public async Task Unacknowledged_IsEscalatedAfterTwoHours_ThenEveryHour_EachSentOnceToOnCall()
    {
        var (pipeline, alert) = await RaisedCriticalAsync();
        await using var _ = pipeline;
        pipeline.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await PassAsync(pipeline, alert.AlertId));

        pipeline.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await PassAsync(pipeline, alert.AlertId));
        Assert.Equal(1, await PassAsync(pipeline, alert.AlertId)); // the same minute again: already done
        await pipeline.RunAsync();
        await pipeline.RunAsync();

        pipeline.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(1, await PassAsync(pipeline, alert.AlertId));
        pipeline.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, await PassAsync(pipeline, alert.AlertId));
        await pipeline.RunAsync();

        var mails = Escalations(pipeline, alert);
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.StartsWith("[CAR-T · escalated · critical] ", m.Subject, StringComparison.Ordinal));
        Assert.Contains("escalation 1: still open 2 h 00 min after it was raised", mails[0].Text, StringComparison.Ordinal);
        Assert.Contains($"https://cartlab.example/app/alerts/{alert.AlertId}", mails[1].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(pipeline.EmailSender.SentTo(InMemoryPipeline.DefaultCareTeamEmail), m => m.Subject.Contains("escalated", StringComparison.Ordinal));
        var stored = Stored(pipeline, alert.AlertId);
        Assert.Equal([1, 2], stored.Escalations.Select(e => e.Number));
        Assert.Equal([OnCall], stored.Escalations[0].To);
        Assert.Equal(1, stored.Revision); // an escalation is not a new revision
    }

    [Fact]
    public async Task Acknowledged_IsNeverEscalated()
    {
        var (pipeline, alert) = await RaisedCriticalAsync();
        await using var _ = pipeline;

        pipeline.Time.Advance(TimeSpan.FromMinutes(30));
        await pipeline.Get<AlertQueryService>().AcknowledgeAsync(alert.AlertId, "dr.test", default, "called the patient in");
        pipeline.Time.Advance(TimeSpan.FromHours(6));

        Assert.Equal(0, await PassAsync(pipeline, alert.AlertId));
        Assert.Equal("called the patient in", Stored(pipeline, alert.AlertId).AcknowledgementNote);
    }

    [Fact]
    public async Task ConcurrentPasses_RecordOneEscalation_AndOneMail()
    {
        var (pipeline, alert) = await RaisedCriticalAsync();
        await using var _ = pipeline;
        pipeline.Time.Advance(TimeSpan.FromHours(2));
        var escalation = pipeline.Get<EscalationService>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => escalation.RunAsync(default))));
        await pipeline.RunAsync();

        Assert.Single(Stored(pipeline, alert.AlertId).Escalations);
        Assert.Single(Escalations(pipeline, alert));
    }

    [Fact]
    public async Task UpdatedAlert_ReturnsToOpen_AndItsClockRestarts_EscalationsKept()
    {
        var (pipeline, alert) = await RaisedCriticalAsync();
        await using var _ = pipeline;
        pipeline.Time.Advance(TimeSpan.FromHours(2));
        await PassAsync(pipeline, alert.AlertId);
        await pipeline.Get<AlertQueryService>().AcknowledgeAsync(alert.AlertId, "dr.test", default);

        // The lab corrects the day +120 value (still a rise): a new revision, open again.
        pipeline.Time.Advance(TimeSpan.FromHours(1));
        await pipeline.StoreAsync(Mrd(120, 0.9m, status: ResultStatus.Corrected, reportedHours: 60));
        await pipeline.RunAsync();
        var revised = Stored(pipeline, alert.AlertId);
        Assert.Equal((AlertStatus.Open, 2), (revised.Status, revised.Revision));
        Assert.Null(revised.AcknowledgedBy);

        pipeline.Time.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.Equal(1, await PassAsync(pipeline, alert.AlertId));
        pipeline.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await PassAsync(pipeline, alert.AlertId));

        Assert.Equal([(1, 1), (2, 2)], Stored(pipeline, alert.AlertId).Escalations.Select(e => (e.Number, e.Revision)));
    }

    [Fact]
    public async Task NoOnCallList_NothingIsRecorded()
    {
        var (pipeline, alert) = await RaisedCriticalAsync(new() { ["Email:OnCall"] = null });
        await using var _ = pipeline;
        pipeline.Time.Advance(TimeSpan.FromHours(3));

        Assert.Equal(0, await PassAsync(pipeline, alert.AlertId));
    }

    [Theory]
    [InlineData(AlertSeverity.Warning, AlertStatus.Open)]
    [InlineData(AlertSeverity.Critical, AlertStatus.Acknowledged)]
    [InlineData(AlertSeverity.Critical, AlertStatus.Retracted)]
    public void NextDue_OnlyOpenCriticalAlerts(AlertSeverity severity, AlertStatus status)
    {
        var alert = Assert.Single(TestData.Fired("igg.low", [TestData.Result(Analyte.IgG, 45, 250m)])) with { Severity = severity, Status = status };

        Assert.Null(EscalationService.NextDue(alert, new EscalationOptions()));
    }

    [Fact]
    public async Task Status_ListsThePendingEscalation_AndNeedsAPersonOnlyWhenItIsOverdueAndNotSent()
    {
        var (pipeline, alert) = await RaisedCriticalAsync();
        await using var _ = pipeline;
        var status = pipeline.Get<PipelineStatusService>();

        var before = await status.GetAsync(default);
        pipeline.Time.Advance(TimeSpan.FromHours(2) + PipelineStatusService.MaxEscalationDelay + TimeSpan.FromMinutes(1));
        var overdue = await status.GetAsync(default);
        await PassAsync(pipeline, alert.AlertId);
        var afterPass = await status.GetAsync(default);

        var pending = Assert.Single(before.EscalationsPending, e => e.AlertId == alert.AlertId);
        Assert.Equal((alert.AlertId, "mrd.rising", alert.CreatedAt + TimeSpan.FromHours(2), 0), (pending.AlertId, pending.RuleId, pending.DueAt, pending.EscalationsSoFar));
        Assert.DoesNotContain(before.NeedsAttention, a => a.Contains("escalation", StringComparison.Ordinal));
        Assert.Contains(overdue.NeedsAttention, a => a.Contains(" critical alert(s) due for escalation more than 15 min ago", StringComparison.Ordinal));
        Assert.Equal(1, Assert.Single(afterPass.EscalationsPending, e => e.AlertId == alert.AlertId).EscalationsSoFar);
        Assert.DoesNotContain(afterPass.NeedsAttention, a => a.Contains("escalation", StringComparison.Ordinal));
    }
}

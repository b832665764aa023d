using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Pipeline;

/// <summary>
/// "An alert is a claim about the current record": the evaluation and dispatch services over the in-memory ports, so each
/// path of an alert's life runs in milliseconds. Results are stored as the lab sent them, one version at a time.
/// </summary>
public class AlertsFollowTheRecordTests
{
    private const string Patient = "PT-T1";

    private static LabResult IgG(decimal value, ResultStatus status = ResultStatus.Final, int hoursAfterCollection = 4)
    {
        var r = TestData.Result(Analyte.IgG, day: 28, value: value, status: status, patientId: Patient);
        var identity = ResultIdentity.FromAccession("CL-28", Analyte.IgG, null);
        var v = r with
        {
            ResultId = ResultIds.ForIdentity(Patient, identity),
            Identity = identity,
            ReportedAt = r.CollectedAt.AddHours(hoursAfterCollection),
            OriginalValue = value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return v with { VersionId = ResultIds.ForVersion(v) };
    }

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

    private static async Task<InMemoryPipeline> StartAsync()
    {
        var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        return pipeline;
    }

    private static List<string> Events(InMemoryAlertPublisher channel) =>
        [.. channel.Published.Where(p => p.Succeeded).Select(p => AlertMessageIds.For(p.Alert.AlertId, p.Delivery.Event, p.Delivery.Revision))];

    [Fact]
    public async Task CorrectedBeforeTheFirstNoticeWentOut_IsToldOnce_WithTheCorrectedValue()
    {
        await using var pipeline = await StartAsync();
        await pipeline.StoreAsync(IgG(250m));
        await pipeline.RunAsync(dispatch: false);
        await pipeline.StoreAsync(IgG(180m, ResultStatus.Corrected, hoursAfterCollection: 20));
        await pipeline.RunAsync();

        var sent = Assert.Single(pipeline.LabAlerts.Published);
        Assert.Equal((AlertEvents.Raised, 2), (sent.Delivery.Event, sent.Delivery.Revision));
        Assert.Contains("180 mg/dL", sent.Alert.Summary, StringComparison.Ordinal);
        Assert.Contains("180 mg/dL", Assert.Single(pipeline.EmailSender.Sent).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorrectedAfterTheNotice_OneUpdatePerChannelAndRecipient_AndAnAcknowledgementDoesNotSurviveIt()
    {
        await using var pipeline = await StartAsync();
        await pipeline.StoreAsync(IgG(250m));
        await pipeline.RunAsync();
        var alertId = Assert.Single(pipeline.Alerts.All()).Alert.AlertId;
        await pipeline.Get<AlertQueryService>().AcknowledgeAsync(alertId, "dr.test", default);

        await pipeline.StoreAsync(IgG(180m, ResultStatus.Corrected, hoursAfterCollection: 20));
        await pipeline.RunAsync();
        await pipeline.StoreAsync(IgG(180m, ResultStatus.Corrected, hoursAfterCollection: 20)); // re-sent: nothing more
        await pipeline.RunAsync();

        var alert = Assert.Single(pipeline.Alerts.All()).Alert;
        Assert.Equal((AlertStatus.Open, 2, null), (alert.Status, alert.Revision, alert.AcknowledgedBy));
        Assert.Equal("IgG corrected from 250 mg/dL to 180 mg/dL", alert.Change);
        Assert.Equal([alertId, alertId + "-updated-2"], Events(pipeline.LabAlerts));
        var mails = pipeline.EmailSender.Sent;
        Assert.Equal(2, mails.Count);
        Assert.StartsWith("[CAR-T · updated · warning]", mails[1].Subject, StringComparison.Ordinal);
        Assert.NotEqual(mails[0].MessageKey, mails[1].MessageKey);
    }

    [Fact]
    public async Task PreliminaryCopyAfterItsFinal_ChangesNothing_AndNotifiesNobody()
    {
        await using var pipeline = await StartAsync();
        await pipeline.StoreAsync(IgG(250m));
        await pipeline.RunAsync();

        await pipeline.StoreAsync(IgG(260m, ResultStatus.Preliminary, hoursAfterCollection: 30));
        await pipeline.RunAsync();

        var alert = Assert.Single(pipeline.Alerts.All()).Alert;
        Assert.Equal((AlertStatus.Open, 1), (alert.Status, alert.Revision));
        Assert.Single(pipeline.LabAlerts.Published);
        Assert.Single(pipeline.EmailSender.Sent);
    }

    [Fact]
    public async Task RetractedThenHoldingAgain_IsReopenedAsAnUpdate_NeverASecondRaise()
    {
        await using var pipeline = await StartAsync();
        await pipeline.StoreAsync(IgG(250m));
        await pipeline.RunAsync();
        var alertId = Assert.Single(pipeline.Alerts.All()).Alert.AlertId;

        await pipeline.StoreAsync(IgG(350m, ResultStatus.Corrected, hoursAfterCollection: 20));
        await pipeline.RunAsync();
        var retracted = Assert.Single(pipeline.Alerts.All()).Alert;
        Assert.Equal(AlertStatus.Retracted, retracted.Status);
        Assert.Equal("the lab corrected the IgG result of 2024-09-24 (day +28) from 250 mg/dL to 350 mg/dL", retracted.RetractionReason);

        await pipeline.StoreAsync(IgG(240m, ResultStatus.Corrected, hoursAfterCollection: 30));
        await pipeline.RunAsync();

        var reopened = Assert.Single(pipeline.Alerts.All()).Alert;
        Assert.Equal((AlertStatus.Open, 3), (reopened.Status, reopened.Revision));
        Assert.StartsWith("the alert holds again: IgG corrected from 250 mg/dL to 240 mg/dL", reopened.Change, StringComparison.Ordinal);
        Assert.Equal([alertId, alertId + "-retracted-2", alertId + "-updated-3"], Events(pipeline.LabAlerts));
        Assert.Equal(3, pipeline.EmailSender.Sent.Select(m => m.MessageKey).Distinct().Count());
        Assert.Equal(3, pipeline.EmailSender.Sent.Count);
    }

    [Fact]
    public async Task RetractedBeforeAnyoneWasTold_NobodyHearsOfIt()
    {
        await using var pipeline = await StartAsync();
        await pipeline.StoreAsync(IgG(250m));
        await pipeline.RunAsync(dispatch: false);
        await pipeline.StoreAsync(IgG(250m, ResultStatus.Cancelled, hoursAfterCollection: 20));
        await pipeline.RunAsync();

        Assert.Equal(AlertStatus.Retracted, Assert.Single(pipeline.Alerts.All()).Alert.Status);
        Assert.Empty(pipeline.LabAlerts.Calls);
        Assert.Empty(pipeline.EmailSender.Sent);
    }

    [Fact]
    public async Task RepeatedEvaluations_QueueNoNotificationForAnAlertThatIsAlreadyWaiting()
    {
        await using var pipeline = await StartAsync();
        await pipeline.StoreAsync(IgG(250m));
        await pipeline.RunAsync(dispatch: false);
        var before = pipeline.Queue.SentCount(PipelineNames.Queues.AlertNotifications);

        for (var i = 0; i < 5; i++)
        {
            await pipeline.StoreAsync(IgG(250m));
            await pipeline.RunAsync(dispatch: false);
        }

        Assert.Equal(before, pipeline.Queue.SentCount(PipelineNames.Queues.AlertNotifications));
        await pipeline.RunAsync();
        Assert.Single(pipeline.EmailSender.Sent);
    }

    [Fact]
    public async Task NotificationLostInACrash_IsQueuedAgainOnceItIsOverdue()
    {
        await using var pipeline = await StartAsync();
        await pipeline.StoreAsync(IgG(250m));
        await pipeline.RunAsync(dispatch: false);
        pipeline.Queue.Receive(PipelineNames.Queues.AlertNotifications); // the message is lost

        pipeline.Time.Advance(TimeSpan.FromMinutes(5));
        await pipeline.StoreAsync(IgG(250m));
        await pipeline.RunAsync();

        Assert.Single(pipeline.EmailSender.Sent);
        Assert.Single(pipeline.LabAlerts.Published);
    }

    [Fact]
    public async Task EarlierValueItWasComparedWithCorrected_TheRetractionSaysSo()
    {
        await using var pipeline = await StartAsync();
        await pipeline.StoreAsync(Mrd(28, 0.01m, "<"), Mrd(91, 0.05m), Mrd(120, 0.8m));
        await pipeline.RunAsync();
        var rising = Assert.Single(pipeline.Alerts.All(), a => a.Alert.RuleId == "mrd.rising").Alert;

        await pipeline.StoreAsync(Mrd(91, 0.005m, status: ResultStatus.Corrected, reportedHours: 30));
        await pipeline.RunAsync();

        var retracted = Assert.Single(pipeline.Alerts.All(), a => a.Alert.AlertId == rising.AlertId).Alert;
        Assert.Equal(AlertStatus.Retracted, retracted.Status);
        Assert.Equal("the lab corrected the earlier MRD result it was compared with (2024-11-26, day +91) from 0.05 % to 0.005 %", retracted.RetractionReason);
    }

    [Fact]
    public async Task DeliveryFailedOpsAlert_IsNotRetractedByTheNextEvaluation()
    {
        await using var pipeline = await StartAsync();
        await pipeline.StoreAsync(IgG(250m));
        pipeline.Email.FailNext(1, transient: false, message: "mailbox unavailable");
        await pipeline.SettleAsync(TimeSpan.FromHours(1));

        await pipeline.StoreAsync(TestData.Result(Analyte.Anc, 60, 2.0m, patientId: Patient));
        await pipeline.SettleAsync(TimeSpan.FromHours(1));

        var ops = Assert.Single(pipeline.Alerts.All(), a => a.Alert.RuleId == AlertDispatchService.DeliveryFailedRuleId).Alert;
        Assert.Equal(AlertStatus.Open, ops.Status);
    }
}

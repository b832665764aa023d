using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules.IgGLow;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Pipeline;

/// <summary>The real Core services over the in-memory ports: the whole alert path in milliseconds.</summary>
public class InMemoryPipelineTests
{
    private const string Patient = "PT-T1";
    private const string Doctor = InMemoryPipeline.DefaultCareTeamEmail;

    private static LabResult LowIgG() => TestData.Result(Analyte.IgG, day: 28, value: 250m, patientId: Patient);

    [Fact]
    public async Task LowIgGOnDay28_RaisesOneAlert_PublishedOncePerChannelAndRecipient()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(LowIgG());

        await pipeline.RunAsync();

        var row = Assert.Single(await pipeline.Alerts.ListForPatientAsync(Patient, default));
        Assert.Equal(IgGLowRule.RuleId, row.Alert.RuleId);
        Assert.Equal(28, row.Alert.DayPostInfusion);
        Assert.All(row.Deliveries.Values, d => Assert.Equal(DeliveryState.Sent, d.State));
        Assert.Equal(["email|raised|" + Doctor, "lab-alerts|raised"], row.Deliveries.Keys.Order(StringComparer.Ordinal));

        var topic = Assert.Single(pipeline.LabAlerts.Published);
        Assert.Equal((row.Alert.AlertId, AlertEvents.Raised, null), (topic.Alert.AlertId, topic.Delivery.Event, topic.Delivery.Recipient));
        Assert.Equal(row.Alert.AlertId, topic.ProviderMessageId);
        var email = Assert.Single(pipeline.Email.Published);
        Assert.Equal(Doctor, email.Delivery.Recipient);

        var mail = Assert.Single(pipeline.EmailSender.Sent);
        Assert.Equal(Doctor, mail.To);
        Assert.Contains("IgG", mail.Subject, StringComparison.Ordinal);
        Assert.Single(mail.InlineImages); // the trend chart, drawn once
        Assert.Single(pipeline.Charts.Charts);
        Assert.Equal(0, pipeline.Pending);
    }

    [Fact]
    public async Task RunningTheStagesAgain_PublishesNothingMore()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(LowIgG());
        await pipeline.RunAsync();

        // The same version stored again and evaluated again, and the notification re-delivered: nothing new.
        await pipeline.StoreAsync(LowIgG());
        var alertId = Assert.Single(pipeline.Alerts.All()).Alert.AlertId;
        await pipeline.Queue.SendAsync(PipelineNames.Queues.AlertNotifications, new NotificationRequest(alertId, Patient), null, default);
        var handled = await pipeline.RunAsync();
        pipeline.Time.Advance(TimeSpan.FromHours(1));
        handled += await pipeline.RunAsync();

        Assert.True(handled >= 2);
        Assert.Single(pipeline.Alerts.All());
        Assert.Single(pipeline.LabAlerts.Calls);
        Assert.Single(pipeline.Email.Calls);
        Assert.Single(pipeline.EmailSender.Sent);
        Assert.Equal(1, pipeline.Results.Count(Patient));
    }

    [Fact]
    public async Task TransientEmailFailure_DefersTheDelivery_AndALaterRunSendsItOnce()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(LowIgG());
        pipeline.Email.FailNext(1, transient: true);

        await pipeline.RunAsync();

        var row = Assert.Single(pipeline.Alerts.All());
        var email = row.Deliveries["email|raised|" + Doctor];
        var retryAt = pipeline.Time.GetUtcNow() + TimeSpan.FromSeconds(30); // the default first back-off
        Assert.Equal((DeliveryState.Pending, 1, retryAt), (email.State, email.Attempts, email.NotBefore));
        Assert.NotNull(email.LastError);
        Assert.Equal(DeliveryState.Sent, row.Deliveries["lab-alerts|raised"].State);
        Assert.False(Assert.Single(pipeline.Email.Calls).Succeeded);
        Assert.Empty(pipeline.EmailSender.Sent);
        var retries = pipeline.Queue.Peek(PipelineNames.Queues.AlertNotifications);
        Assert.NotEmpty(retries);
        Assert.All(retries, m => Assert.Equal(retryAt, m.VisibleFrom));

        // Before the back-off has passed nothing is due.
        pipeline.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await pipeline.RunAsync());

        pipeline.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await pipeline.RunAsync() > 0);

        email = Assert.Single(pipeline.Alerts.All()).Deliveries["email|raised|" + Doctor];
        Assert.Equal((DeliveryState.Sent, 2), (email.State, email.Attempts));
        Assert.Null(email.LastError);
        Assert.Single(pipeline.Email.Published);
        Assert.Single(pipeline.EmailSender.Sent);
        Assert.Single(pipeline.LabAlerts.Calls);
        Assert.Equal(0, pipeline.Pending);
    }

    [Fact]
    public async Task TwoCareTeamMembers_GetOneEmailEach_AndTheTopicOneEvent()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient, "a@hospital.example", "b@hospital.example");
        await pipeline.StoreAsync(LowIgG());

        await pipeline.RunAsync();

        Assert.Single(pipeline.LabAlerts.Published);
        Assert.Equal(["a@hospital.example", "b@hospital.example"], pipeline.Email.Published.Select(p => p.Delivery.Recipient).Order(StringComparer.Ordinal));
        Assert.Equal(["a@hospital.example", "b@hospital.example"], pipeline.EmailSender.Sent.Select(m => m.To).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PermanentEmailFailure_FailsTheDelivery_PoisonsTheRequest_AndTellsOps()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(LowIgG());
        pipeline.Email.FailNext(1, transient: false, message: "mailbox unavailable");

        await pipeline.SettleAsync(TimeSpan.FromHours(1));

        var alerts = pipeline.Alerts.All();
        var clinical = Assert.Single(alerts, a => a.Alert.RuleId == IgGLowRule.RuleId);
        Assert.Equal(DeliveryState.Failed, clinical.Deliveries["email|raised|" + Doctor].State);
        var ops = Assert.Single(alerts, a => a.Alert.RuleId == AlertDispatchService.DeliveryFailedRuleId);
        Assert.Equal(DeliveryState.Sent, ops.Deliveries["lab-alerts|raised"].State);
        var poisoned = Assert.Single(pipeline.Queue.Sent(PipelineNames.Queues.AlertNotifications + PipelineNames.Queues.PoisonSuffix));
        Assert.Contains("mailbox unavailable", poisoned.Body<PoisonedMessage>()!.Reason, StringComparison.Ordinal);
        Assert.Empty(pipeline.EmailSender.Sent);
    }

    [Fact]
    public async Task Redeliver_AfterTheChannelIsFixed_SendsOnce_AndClearsTheAlertsPoisonMessages_NotOthers()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(LowIgG());
        pipeline.Email.FailNext(1, transient: false, message: "mailbox unavailable");
        await pipeline.SettleAsync(TimeSpan.FromHours(1));
        var poison = PipelineNames.Queues.AlertNotifications + PipelineNames.Queues.PoisonSuffix;
        var other = pipeline.Queue.SendRaw(poison, PipelineJson.Serialize(new PoisonedMessage("another alert's failure", PipelineJson.Serialize(new NotificationRequest("A-OTHER", Patient)))));
        var clinical = Assert.Single(pipeline.Alerts.All(), a => a.Alert.RuleId == IgGLowRule.RuleId).Alert;
        Assert.Equal(2, pipeline.Queue.Count(poison));

        var failedBefore = await pipeline.Get<AlertDispatchService>().FailedAlertIdsAsync(default); // what --all redelivers
        var redelivery = await pipeline.Get<AlertDispatchService>().RedeliverAsync(clinical.AlertId, default);
        await pipeline.SettleAsync(TimeSpan.FromHours(1));
        var failedAfter = await pipeline.Get<AlertDispatchService>().FailedAlertIdsAsync(default);
        var again = await pipeline.Get<AlertDispatchService>().RedeliverAsync(clinical.AlertId, default);
        var unknown = await pipeline.Get<AlertDispatchService>().RedeliverAsync("no-such-alert", default);

        Assert.Equal([clinical.AlertId], failedBefore);
        Assert.Empty(failedAfter);
        Assert.Equal(new Redelivery(true, 1, 1), redelivery);
        Assert.Equal(new Redelivery(true, 0, 0), again);
        Assert.False(unknown.Found);
        Assert.Equal(other.MessageId, Assert.Single(pipeline.Queue.Peek(poison)).MessageId);
        Assert.Single(pipeline.EmailSender.Sent);
        Assert.Equal(DeliveryState.Sent, Assert.Single(pipeline.Alerts.All(), a => a.Alert.AlertId == clinical.AlertId).Deliveries["email|raised|" + Doctor].State);
    }

    [Fact]
    public async Task EmailRefusedForEveryRecipient_RaisesOneOpsAlertForTheAlert_NamingEachRecipient()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient, "a@hospital.example", "b@hospital.example");
        await pipeline.StoreAsync(LowIgG());
        pipeline.Email.FailNext(2, transient: false, message: "sender not verified");

        await pipeline.SettleAsync(TimeSpan.FromHours(1));

        var alerts = pipeline.Alerts.All();
        var clinical = Assert.Single(alerts, a => a.Alert.RuleId == IgGLowRule.RuleId);
        Assert.All(clinical.Deliveries.Values.Where(d => d.Channel == "email"), d => Assert.Equal(DeliveryState.Failed, d.State));
        var ops = Assert.Single(alerts, a => a.Alert.RuleId == AlertDispatchService.DeliveryFailedRuleId).Alert;
        Assert.Contains("a@hospital.example", ops.Summary, StringComparison.Ordinal);
        Assert.Contains("b@hospital.example", ops.Summary, StringComparison.Ordinal);
        Assert.Contains(clinical.Alert.AlertId, ops.Summary, StringComparison.Ordinal);
        var poisoned = Assert.Single(pipeline.Queue.Sent(PipelineNames.Queues.AlertNotifications + PipelineNames.Queues.PoisonSuffix));
        Assert.Equal(2, poisoned.Body<PoisonedMessage>()!.Reason.Split("sender not verified").Length - 1);
    }

    [Fact]
    public async Task InboundMessage_IsStoredEvaluatedAndPublished()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        pipeline.Post($$"""{"patientId":"{{Patient}}","collectedAt":"2024-09-24T08:00:00+02:00","analyte":"igg","value":"250","unit":"mg/dL"}""");

        await pipeline.RunAsync();

        Assert.Equal(1, pipeline.Results.Count(Patient));
        Assert.Equal(IgGLowRule.RuleId, Assert.Single(pipeline.Alerts.All()).Alert.RuleId);
        Assert.Single(pipeline.LabAlerts.Published);
    }
}

/// <summary><c>cartlab schedule</c>'s service over the in-memory stores.</summary>
public class ScheduleQueryServiceTests
{
    [Fact]
    public async Task Schedule_ListsDoneDueAndUpcomingTimepoints_APreliminaryResultCountsAsTaken()
    {
        // In-memory pipeline clock: 2024-10-01 = day +35. Enrolled then: earlier windows that closed are missed, not overdue.
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-S1");
        await pipeline.StoreAsync(TestData.Result(Analyte.Mrd, 28, 0.01m, "<", ResultStatus.Preliminary, patientId: "PT-S1", sensitivity: 0.0001m));

        var lines = (await pipeline.Get<CarTLabPipeline.Evaluation.ScheduleQueryService>().GetScheduleAsync("PT-S1", default)).Value?.Lines;

        Assert.NotNull(lines);
        var mrd28 = Assert.Single(lines, l => l.Test == "bone-marrow MRD" && l.Day == 28);
        Assert.Equal(("done", "day +28 (2024-09-24), preliminary"), (mrd28.Status, mrd28.Collected));
        Assert.Equal("due", Assert.Single(lines, l => l.Test == "IgG" && l.Day == 28).Status);
        Assert.Equal("missed", Assert.Single(lines, l => l.Test == "blood counts" && l.Day == 7).Status);
        Assert.Equal("upcoming", Assert.Single(lines, l => l.Test == "CD4+ T cells" && l.Day == 90).Status);
        Assert.Equal(CarTLabPipeline.Results.PatientQueryStatus.NotEnrolled,
            (await pipeline.Get<CarTLabPipeline.Evaluation.ScheduleQueryService>().GetScheduleAsync("PT-NOT-ENROLLED", default)).Status);
    }

    [Fact]
    public async Task Schedule_AfterASecondInfusion_CountsFromIt_AndAfterAnHsctHasEnded()
    {
        await using var pipeline = new InMemoryPipeline(start: new DateTimeOffset(2025, 4, 1, 8, 0, 0, TimeSpan.Zero));
        await pipeline.EnrollAsync("PT-S2");
        var service = pipeline.Get<CarTLabPipeline.Evaluation.ScheduleQueryService>();
        var enrollments = pipeline.Get<CarTLabPipeline.Patients.EnrollmentService>();

        await enrollments.AddEventAsync("PT-S2", new() { Kind = CarTLabPipeline.Patients.TreatmentEventKind.SecondInfusion, Date = new DateOnly(2025, 3, 15) }, default);
        var second = (await service.GetScheduleAsync("PT-S2", default)).Value;
        await enrollments.AddEventAsync("PT-S2", new() { Kind = CarTLabPipeline.Patients.TreatmentEventKind.AllogeneicHsct, Date = new DateOnly(2025, 3, 30) }, default);
        var hsct = (await service.GetScheduleAsync("PT-S2", default)).Value;

        Assert.Equal((new DateOnly(2025, 3, 15), "the second infusion of 2025-03-15", 17, true), (second!.DayZero, second.FollowUp, second.TodayDay, second.CarT));
        Assert.Equal("day +14 … +42 (2025-03-29 – 2025-04-26)", Assert.Single(second.Lines, l => l.Test == "bone-marrow MRD" && l.Day == 28).Window);
        Assert.Equal(("the allogeneic HSCT of 2025-03-30", false), (hsct!.FollowUp, hsct.CarT));
        Assert.Empty(hsct.Lines);
    }
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Pipeline;

/// <summary>After a crash: what the dead host had claimed or never queued is sent once, as soon as its lease ends.</summary>
public class OutboxRecoveryTests
{
    private const string Patient = "PT-T1";

    [Fact]
    public async Task ClaimedByAHostThatDied_IsSentOnce_WhenTheLeaseEnds_NotAfterTheQueuesVisibilityTimeout()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(TestData.Result(Analyte.IgG, 28, 250m, patientId: Patient));
        await pipeline.RunAsync(dispatch: false);

        // The host dies holding the claims: deliveries "sending", its notification message invisible for minutes.
        var row = Assert.Single(pipeline.Alerts.All());
        var claimed = row.Deliveries.ToDictionary(d => d.Key, d => d.Value with { State = DeliveryState.Sending, ClaimedAt = pipeline.Time.GetUtcNow(), Attempts = 1 });
        Assert.NotNull(await pipeline.Alerts.TryUpdateAsync(row.Alert, claimed, row.ETag, default));
        pipeline.Queue.Receive(PipelineNames.Queues.AlertNotifications);

        // A new host starts: the recovery pass queues the alert for when the lease ends (45 s).
        Assert.Equal(1, await pipeline.Get<OutboxRecoveryService>().ResumeAsync(default));
        await pipeline.RunAsync();
        Assert.Empty(pipeline.EmailSender.Sent);

        pipeline.Time.Advance(TimeSpan.FromSeconds(46));
        await pipeline.RunAsync();
        Assert.Single(pipeline.EmailSender.Sent);
        Assert.Single(pipeline.LabAlerts.Published);

        // Another pass finds nothing left to send.
        Assert.Equal(0, await pipeline.Get<OutboxRecoveryService>().ResumeAsync(default));
    }

    [Fact]
    public async Task RecoveryMessageArrivingBeforeTheLeaseEnds_IsNotLost_TheDispatcherChecksAgainAtLeaseEnd()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(TestData.Result(Analyte.IgG, 28, 250m, patientId: Patient));
        await pipeline.RunAsync(dispatch: false);

        // The dead host claimed the deliveries 0.6 s ago; a notification reaches a live host while the claim still runs
        // (a queue delay in whole seconds can deliver a recovery message up to a second early).
        var row = Assert.Single(pipeline.Alerts.All());
        var claimedAt = pipeline.Time.GetUtcNow();
        var claimed = row.Deliveries.ToDictionary(d => d.Key, d => d.Value with { State = DeliveryState.Sending, ClaimedAt = claimedAt, Attempts = 1 });
        Assert.NotNull(await pipeline.Alerts.TryUpdateAsync(row.Alert, claimed, row.ETag, default));
        pipeline.Queue.Receive(PipelineNames.Queues.AlertNotifications);
        pipeline.Time.Advance(TimeSpan.FromSeconds(44.4));
        pipeline.Queue.SendRaw(PipelineNames.Queues.AlertNotifications, PipelineJson.Serialize(new NotificationRequest(row.Alert.AlertId, Patient)));

        await pipeline.RunAsync();
        Assert.Empty(pipeline.EmailSender.Sent); // the claim still runs: nothing is sent twice

        // No recovery pass runs again: the dispatcher itself looked again when the lease ended.
        await pipeline.SettleAsync(TimeSpan.FromSeconds(10));
        Assert.Single(pipeline.EmailSender.Sent);
        Assert.Single(pipeline.LabAlerts.Published);
    }

    [Fact]
    public async Task RelayDownForAnHour_WithRecoveryPassesEvery5Minutes_KeepsOneNotificationMessagePerAlert_AndSendsEachNoticeOnceAfter()
    {
        // Enough attempts to outlast the hour (back-off 30 s doubling to 15 min: 8 attempts), so nothing fails for good.
        await using var pipeline = new InMemoryPipeline(new Dictionary<string, string?> { ["Notifications:MaxAttempts"] = "20" });
        await pipeline.EnrollAsync(Patient, "a@hospital.example", "b@hospital.example");
        await pipeline.StoreAsync(TestData.Result(Analyte.IgG, 28, 250m, patientId: Patient));
        pipeline.Email.FailNext(1000, transient: true, message: "relay down");
        var recovery = pipeline.Get<OutboxRecoveryService>();
        var outageEnds = pipeline.Time.GetUtcNow() + TimeSpan.FromHours(1);
        var mostWaiting = 0;

        // An hour of outage: retries come due (30 s, 60 s … 15 min), and every 5 minutes a recovery pass runs, as the
        // hosts' timers do (and as each host start does).
        while (pipeline.Time.GetUtcNow() < outageEnds)
        {
            await pipeline.RunAsync();
            mostWaiting = Math.Max(mostWaiting, pipeline.Queue.Count(PipelineNames.Queues.AlertNotifications));
            await recovery.ResumeAsync(default);
            mostWaiting = Math.Max(mostWaiting, pipeline.Queue.Count(PipelineNames.Queues.AlertNotifications));
            pipeline.Time.Advance(TimeSpan.FromMinutes(5));
        }

        pipeline.Email.Reset();
        await pipeline.SettleAsync(TimeSpan.FromHours(1));

        // Before: each pass added a message for the alert that kept rescheduling itself (13 after an hour).
        Assert.Equal(1, mostWaiting);
        Assert.Equal(["a@hospital.example", "b@hospital.example"], pipeline.EmailSender.Sent.Select(m => m.To).Order(StringComparer.Ordinal));
        Assert.Single(pipeline.LabAlerts.Published);
        Assert.All(Assert.Single(pipeline.Alerts.All()).Deliveries.Values, d => Assert.Equal(DeliveryState.Sent, d.State));
    }

    [Fact]
    public async Task HostDiedBetweenRecordingTheBackOffAndQueuingTheRetry_TheFirstPassAfterTheBackOffQueuesIt()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        await pipeline.StoreAsync(TestData.Result(Analyte.IgG, 28, 250m, patientId: Patient));
        pipeline.Email.FailNext(1, transient: true, message: "relay down");
        await pipeline.RunAsync();
        pipeline.Queue.Receive(PipelineNames.Queues.AlertNotifications); // the retry message never made it
        var recovery = pipeline.Get<OutboxRecoveryService>();

        var duringTheBackOff = await recovery.ResumeAsync(default);
        pipeline.Time.Advance(TimeSpan.FromSeconds(31));
        var after = await recovery.ResumeAsync(default);
        await pipeline.RunAsync();

        Assert.Equal((0, 1), (duringTheBackOff, after));
        Assert.Single(pipeline.EmailSender.Sent);
    }
}

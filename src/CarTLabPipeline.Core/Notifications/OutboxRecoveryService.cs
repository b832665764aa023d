using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// The pass over the outbox a host makes when it starts (and then now and then): every alert with a notice still to send
/// gets one notification message, due when its claim lease ends or at once (a notice waiting out a back-off has its retry
/// queued already). After a crash the work the dead host had
/// claimed resumes as soon as its lease runs out — seconds, not the queue's visibility timeout — and a notification
/// message lost between the alert write and the enqueue is replaced. Sends nothing itself: the dispatcher's claims keep
/// every notice to one send.
/// </summary>
public sealed partial class OutboxRecoveryService(
    IAlertStore alerts,
    IPipelineQueue queue,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<OutboxRecoveryService> logger)
{
    /// <summary>Queues a notification for each alert with unsettled deliveries; returns how many.</summary>
    public async Task<int> ResumeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lease = options.Value.ClaimLease;
        var queued = 0;
        await foreach (var row in alerts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            DateTimeOffset? due = null;
            foreach (var d in row.Deliveries.Values.Where(d => !d.IsSettled && !WaitsOutABackOff(d, now)))
            {
                var at = d.State == DeliveryState.Sending ? (d.ClaimedAt ?? now) + lease : d.NotBefore ?? now;
                due = due is null || at < due ? at : due;
            }

            if (due is not { } when)
            {
                continue;
            }

            // Whole seconds, rounded up: a queue truncates a visibility delay, and a message that arrives before the lease ends
            // finds the claim still running.
            var delay = TimeSpan.FromSeconds(Math.Ceiling((when - now).TotalSeconds));
            await queue.SendAsync(PipelineNames.Queues.AlertNotifications, new NotificationRequest(row.Alert.AlertId, row.Alert.PatientId),
                delay > TimeSpan.FromSeconds(1) ? delay : null, cancellationToken).ConfigureAwait(false);
            queued++;
        }

        LogResumed(logger, queued);
        return queued;
    }

    /// <summary>
    /// A delivery waiting out the back-off of a failed attempt: that attempt queued its retry (a message survives a host
    /// crash), so another message would only double it, and each pass during an outage would add one more per alert. If
    /// the host died between recording the back-off and queuing the retry, the first pass after the back-off queues it.
    /// </summary>
    private static bool WaitsOutABackOff(Delivery d, DateTimeOffset now) =>
        d.State == DeliveryState.Pending && d.NotBefore is { } notBefore && notBefore - now > AlertDispatchService.EarlySlack;

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Outbox recovery: {Alerts} alert(s) with notices still to send queued again")]
    private static partial void LogResumed(ILogger logger, int alerts);
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// Stores alerts with the notices they need and queues their notification: the one way alerts enter or change in the
/// outbox, whether a rule, ingestion or the dispatcher (failed deliveries) raised them. Which notices are needed is
/// decided by <see cref="NoticePlanner"/>.
/// </summary>
public sealed class AlertOutbox(IAlertStore alerts, IPipelineQueue queue, IEnumerable<IAlertPublisher> publishers, AlertRecipients recipients)
{
    private readonly IReadOnlyList<IAlertPublisher> _publishers = publishers.ToList();

    /// <summary>
    /// Where notices of <paramref name="alert"/> go: each channel, and on channels that address people each recipient
    /// (care team, on-call for critical alerts, ops for ops alerts).
    /// </summary>
    public IReadOnlyList<NoticeTarget> Targets(Alert alert, Enrollment? enrollment)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var targets = new List<NoticeTarget>();
        IReadOnlyList<string>? addresses = null;
        foreach (var publisher in _publishers)
        {
            if (!publisher.AddressesRecipients)
            {
                targets.Add(new NoticeTarget(publisher.Channel, null));
                continue;
            }

            foreach (var address in addresses ??= recipients.For(alert, enrollment))
            {
                targets.Add(new NoticeTarget(publisher.Channel, address));
            }
        }

        return targets;
    }

    /// <summary>Inserts the alert if absent and, when inserted, queues its notification. False when it existed.</summary>
    public async Task<bool> TryRaiseAsync(Alert alert, Enrollment? enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var deliveries = NoticePlanner.Plan(new Dictionary<string, Delivery>(), alert, Targets(alert, enrollment));
        if (!await alerts.TryAddAsync(alert, deliveries, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await NotifyAsync(alert, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Replaces a stored alert by <paramref name="revised"/> (ETag-checked) with the notices its change needs, and queues
    /// the notification when there is one to send. False on a concurrent change (the caller re-reads).
    /// </summary>
    public async Task<bool> TryReviseAsync(StoredAlert stored, Alert revised, Enrollment? enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(revised);
        // Whoever was told of the alert hears of its change, even if it no longer concerns them (on-call told of a critical
        // alert is told of its downgrade); whoever it now concerns is told too.
        var told = stored.Deliveries.Values.Where(d => d.State is DeliveryState.Sent or DeliveryState.Sending)
            .Select(d => new NoticeTarget(d.Channel, d.Recipient));
        var deliveries = revised.Revision == stored.Alert.Revision && revised.Status == stored.Alert.Status
            ? new Dictionary<string, Delivery>(stored.Deliveries, StringComparer.Ordinal) // a silent update: nobody is told
            : NoticePlanner.Plan(stored.Deliveries, revised, Targets(revised, enrollment).Concat(told));
        if (await alerts.TryUpdateAsync(revised, deliveries, stored.ETag, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        if (deliveries.Values.Any(d => d.State == DeliveryState.Pending && !stored.Deliveries.ContainsKey(d.Key)))
        {
            await NotifyAsync(revised, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public Task NotifyAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return queue.SendAsync(PipelineNames.Queues.AlertNotifications, new NotificationRequest(alert.AlertId, alert.PatientId), null, cancellationToken);
    }
}

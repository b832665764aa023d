using CarTLabPipeline.Alerts;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// Stores an alert with its pending deliveries and queues its notification: the one way alerts enter the outbox,
/// whether a rule, ingestion or the dispatcher (failed deliveries) raised them.
/// </summary>
public sealed class AlertOutbox(IAlertStore alerts, IPipelineQueue queue, IEnumerable<IAlertPublisher> publishers, AlertRecipients recipients)
{
    private readonly IReadOnlyList<IAlertPublisher> _publishers = publishers.ToList();

    /// <summary>
    /// A pending delivery of <paramref name="alertEvent"/> per channel, and per recipient on channels that address people
    /// (care team, on-call for critical alerts, ops for ops alerts).
    /// </summary>
    public Dictionary<string, Delivery> NewDeliveries(Alert alert, string alertEvent, Enrollment? enrollment)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var deliveries = new Dictionary<string, Delivery>(StringComparer.Ordinal);
        IReadOnlyList<string>? addresses = null;
        foreach (var publisher in _publishers)
        {
            if (!publisher.AddressesRecipients)
            {
                Add(new Delivery { Channel = publisher.Channel, Event = alertEvent });
                continue;
            }

            foreach (var address in addresses ??= recipients.For(alert, enrollment))
            {
                Add(new Delivery { Channel = publisher.Channel, Event = alertEvent, Recipient = address });
            }
        }

        return deliveries;

        void Add(Delivery d) => deliveries[d.Key] = d;
    }

    /// <summary>Inserts the alert if absent and, when inserted, queues its notification. False when it existed.</summary>
    public async Task<bool> TryRaiseAsync(Alert alert, Enrollment? enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!await alerts.TryAddAsync(alert, NewDeliveries(alert, AlertEvents.Raised, enrollment), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await NotifyAsync(alert, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task NotifyAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return queue.SendAsync(PipelineNames.Queues.AlertNotifications, new NotificationRequest(alert.AlertId, alert.PatientId), null, cancellationToken);
    }
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// Stores an alert with its pending deliveries and queues its notification: the one way alerts enter the outbox,
/// whether a rule or ingestion raised them.
/// </summary>
public sealed class AlertOutbox(IAlertStore alerts, IPipelineQueue queue, IEnumerable<IAlertPublisher> publishers)
{
    private readonly IReadOnlyList<string> _channels = publishers.Select(p => p.Channel).ToList();

    /// <summary>A pending delivery per channel for <paramref name="alertEvent"/>.</summary>
    public Dictionary<string, Delivery> NewDeliveries(string alertEvent) =>
        _channels.Select(c => new Delivery { Channel = c, Event = alertEvent }).ToDictionary(d => d.Key, StringComparer.Ordinal);

    /// <summary>Inserts the alert if absent and, when inserted, queues its notification. False when it existed.</summary>
    public async Task<bool> TryRaiseAsync(Alert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (!await alerts.TryAddAsync(alert, NewDeliveries(AlertEvents.Raised), cancellationToken).ConfigureAwait(false))
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

using System.Text.Json;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Adapters.Messaging;

/// <summary>
/// The local stand-in for the Service Bus topic (docs/design.md §7): the <c>lab-alerts</c> Storage queue. A queue message has no
/// properties, so each message is an envelope that carries what the Service Bus message would: message id, subject,
/// content type, application properties, and the alert JSON as <c>body</c>.
/// </summary>
public sealed class QueueAlertPublisher(StorageClients clients) : IAlertPublisher
{
    public const string ChannelName = "lab-alerts";

    public string Channel => ChannelName;

    public bool AddressesRecipients => false;

    public async Task<string?> PublishAsync(Alert alert, Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(delivery);
        var envelope = AlertEnvelope.Create(alert, delivery);
        await clients.Queues.GetQueueClient(PipelineNames.Queues.LabAlerts)
            .SendMessageAsync(JsonSerializer.Serialize(envelope, PipelineJson.Options), cancellationToken).ConfigureAwait(false);
        return envelope.MessageId;
    }
}

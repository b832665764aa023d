using Azure.Messaging.ServiceBus;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Adapters.Messaging;

/// <summary>
/// Publishes alert events to the Service Bus topic <c>lab-alerts</c> (docs/design.md §5): body = the alert JSON, ContentType
/// <c>application/json</c>, MessageId = alert id (<c>{alertId}-retracted</c> for a retraction) so the topic's duplicate
/// detection drops a re-send, Subject = rule id, application properties <c>patientId</c>, <c>ruleId</c>,
/// <c>severity</c> and <c>event</c>. Same channel name as the local queue: the ledger does not care which is behind it.
/// </summary>
public sealed class ServiceBusAlertPublisher(ServiceBusSender sender) : IAlertPublisher
{
    public string Channel => QueueAlertPublisher.ChannelName;

    public bool AddressesRecipients => false;

    public async Task<string?> PublishAsync(Alert alert, Delivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var message = ToMessage(alert, delivery);
        try
        {
            await sender.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceBusException ex)
        {
            throw new DeliveryException($"Service Bus: {ex.Reason}: {ex.Message}", ex.IsTransient || ex.Reason == ServiceBusFailureReason.ServiceBusy,
                ex.Reason == ServiceBusFailureReason.ServiceBusy ? TimeSpan.FromSeconds(10) : null, ex);
        }

        return message.MessageId;
    }

    /// <summary>The Service Bus message of an alert event.</summary>
    public static ServiceBusMessage ToMessage(Alert alert, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(delivery);
        var message = new ServiceBusMessage(BinaryData.FromString(PipelineJson.Serialize(alert)))
        {
            MessageId = AlertMessageIds.For(alert.AlertId, delivery.Event, delivery.Revision),
            Subject = alert.RuleId,
            ContentType = AlertEnvelope.JsonContentType,
        };
        foreach (var (key, value) in AlertEnvelope.PropertiesFor(alert, delivery))
        {
            message.ApplicationProperties[key] = value;
        }

        return message;
    }
}

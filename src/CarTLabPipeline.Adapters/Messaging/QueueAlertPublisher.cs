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

/// <summary>The Service Bus message shape, as a JSON envelope for the local queue.</summary>
public sealed record AlertEnvelope(
    string MessageId,
    string Subject,
    string ContentType,
    IReadOnlyDictionary<string, string> ApplicationProperties,
    Alert Body)
{
    public const string JsonContentType = "application/json";

    /// <summary>
    /// Message id, subject and properties per the design, plus <c>event</c> (raised/updated/retracted) and
    /// <c>revision</c>: one distinct message id per notice (<see cref="AlertMessageIds"/>).
    /// </summary>
    public static AlertEnvelope Create(Alert alert, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(delivery);
        return new(AlertMessageIds.For(alert.AlertId, delivery.Event, delivery.Revision), alert.RuleId, JsonContentType,
            PropertiesFor(alert, delivery), alert);
    }

    public static Dictionary<string, string> PropertiesFor(Alert alert, Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(delivery);
        return new(StringComparer.Ordinal)
        {
            ["patientId"] = alert.PatientId,
            ["ruleId"] = alert.RuleId,
            ["severity"] = alert.Severity.ToString().ToLowerInvariant(),
            ["event"] = delivery.Event,
            ["revision"] = delivery.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

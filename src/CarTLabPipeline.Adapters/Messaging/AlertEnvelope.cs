using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Adapters.Messaging;

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

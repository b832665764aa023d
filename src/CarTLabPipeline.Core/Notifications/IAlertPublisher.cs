using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// A channel alert events are delivered on: the Service Bus topic (the <c>lab-alerts</c> queue locally), or email.
/// </summary>
public interface IAlertPublisher
{
    /// <summary>Name of the channel in the alert's delivery ledger.</summary>
    string Channel { get; }

    /// <summary>
    /// True when each recipient gets a delivery of its own (email: one ledger entry per address); false when one
    /// delivery per event serves every consumer (a topic).
    /// </summary>
    bool AddressesRecipients { get; }

    /// <summary>
    /// Publishes one delivery of an alert event (<see cref="Delivery.Event"/> is <see cref="AlertEvents.Raised"/> or
    /// <see cref="AlertEvents.Retracted"/>; <see cref="Delivery.Recipient"/> is set when <see cref="AddressesRecipients"/>).
    /// Returns the provider's message id when it gives one.
    /// </summary>
    /// <exception cref="DeliveryException">The provider refused or failed; says whether and when to retry.</exception>
    Task<string?> PublishAsync(Alert alert, Delivery delivery, CancellationToken cancellationToken);
}

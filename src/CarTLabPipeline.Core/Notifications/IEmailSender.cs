using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Notifications;

/// <summary>Sends one email (SendGrid or an SMTP relay).</summary>
public interface IEmailSender
{
    /// <summary>Sends <paramref name="message"/>; returns the provider's message id when it gives one.</summary>
    /// <exception cref="DeliveryException">The provider refused or failed; says whether and when to retry.</exception>
    Task<string?> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

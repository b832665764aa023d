using CarTLabPipeline.Adapters;
using Microsoft.Extensions.Configuration;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// Whether a session that sends has somewhere real to send to. Against anything but the local default, <c>cartlab</c>
/// falls back on no default transport (no loopback SMTP, no MailDev): a command that sends refuses to start without one,
/// so nothing is sent to a stand-in and no delivery is marked sent that nobody received. <c>Email__Provider=None</c> is
/// refused too: a process without an email channel stores its alerts without email deliveries, so nobody would ever email
/// them (found by an ops trial: critical alerts processed that way reached no clinician) — except for sessions that say
/// so in code (<see cref="SessionOptions.WithoutEmail"/>: the storage benchmarks).
/// </summary>
internal static class MailTransport
{
    /// <summary>The setting that is missing, as the environment variable to set, with what it is for; null when the transport is configured.</summary>
    public static string? Missing(IConfiguration configuration, StorageTarget target, bool withoutEmail = false)
    {
        var provider = configuration[SettingNames.EmailProvider];
        if (string.IsNullOrWhiteSpace(provider))
        {
            return "Email__Provider is not set (SendGrid or Smtp, with its settings)";
        }

        if (provider.Equals("None", StringComparison.OrdinalIgnoreCase) && !withoutEmail)
        {
            return "Email__Provider is None, and alerts this command raises would then have no email delivery for anyone to send " +
                "(set SendGrid with SendGrid__ApiKey, or Smtp with Smtp__Host and Smtp__Port, as the app has them)";
        }

        if (provider.Equals("Smtp", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(configuration["Smtp:Host"]))
        {
            return "Smtp__Host is not set (Email__Provider is Smtp)";
        }

        if (provider.Equals("SendGrid", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(configuration[SettingNames.SendGridApiKey]))
        {
            return "SendGrid__ApiKey is not set (Email__Provider is SendGrid)";
        }

        // An Azure deployment publishes alert events to its Service Bus topic; without it they would go to a storage queue nobody reads.
        if (target.SignedIn && string.IsNullOrWhiteSpace(configuration[SettingNames.ServiceBusNamespace])
            && string.IsNullOrWhiteSpace(configuration[SettingNames.ServiceBusConnectionString]))
        {
            return "ServiceBus__fullyQualifiedNamespace is not set (the deployment's alert events go to its Service Bus topic)";
        }

        return null;
    }
}

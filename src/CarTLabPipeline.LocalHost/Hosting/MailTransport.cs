using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Adapters;
using CarTLabPipeline.Adapters.Email;
using Microsoft.Extensions.Configuration;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// Whether a session that sends has somewhere real to send to. Against anything but the local default, <c>cartlab</c>
/// falls back on no default transport (no loopback SMTP, no MailDev): a command that sends refuses to start without one,
/// so nothing is sent to a stand-in and no delivery is marked sent that nobody received. <c>Email__Provider=None</c> is
/// refused too: a process without an email channel stores its alerts without email deliveries, so nobody would ever email
/// them (found by an ops trial: critical alerts processed that way reached no clinician) — except for sessions that say
/// so in code (<see cref="SessionOptions.WithoutEmail"/>: the storage benchmarks). Which settings a transport needs is read
/// from its options class (<see cref="SmtpOptions"/>, <see cref="SendGridOptions"/>), the rules the app validates at start-up.
/// </summary>
internal static class MailTransport
{
    /// <summary>
    /// Every setting that is missing, as the environment variables to set with what each is for ("; " between them, so one
    /// run names all of them); null when the transport is configured.
    /// </summary>
    public static string? Missing(IConfiguration configuration, StorageTarget target, bool withoutEmail = false)
    {
        var missing = new List<string>();
        var provider = configuration[SettingNames.EmailProvider];
        if (string.IsNullOrWhiteSpace(provider))
        {
            missing.Add("Email__Provider is not set (SendGrid with SendGrid__ApiKey, or Smtp with Smtp__Host and Smtp__Port)");
        }
        else if (provider.Equals("None", StringComparison.OrdinalIgnoreCase) && !withoutEmail)
        {
            missing.Add("Email__Provider is None, and alerts this command raises would then have no email delivery for anyone to send " +
                "(set SendGrid with SendGrid__ApiKey, or Smtp with Smtp__Host and Smtp__Port, as the app has them)");
        }
        else if (provider.Equals("Smtp", StringComparison.OrdinalIgnoreCase))
        {
            missing.AddRange(Invalid<SmtpOptions>(configuration, SmtpOptions.SectionName));
        }
        else if (provider.Equals("SendGrid", StringComparison.OrdinalIgnoreCase))
        {
            missing.AddRange(Invalid<SendGridOptions>(configuration, SendGridOptions.SectionName));
        }
        else if (!provider.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            // A typo ('Smpt', 'Sendgrid ') is not a transport: say so instead of naming only the recipient settings (ops trial).
            missing.Add($"Email__Provider is '{provider}', which is no transport (SendGrid with SendGrid__ApiKey, or Smtp with Smtp__Host and Smtp__Port)");
        }

        // Against anything but the local default no sender or recipient list defaults: without Email__Ops the ops alerts this
        // command raises (unknown patient, failed delivery) would be stored with no email delivery at all (ops trial).
        if (!string.IsNullOrWhiteSpace(provider) && !provider.Equals("None", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (setting, purpose) in s_recipientSettings)
            {
                if (string.IsNullOrWhiteSpace(configuration[setting.Replace("__", ":", StringComparison.Ordinal)]))
                {
                    missing.Add($"{setting} is not set ({purpose}, as the app has it)");
                }
            }
        }

        // An Azure deployment publishes alert events to its Service Bus topic; without it they would go to a storage queue nobody reads.
        if (target.SignedIn && string.IsNullOrWhiteSpace(configuration[SettingNames.ServiceBusNamespace])
            && string.IsNullOrWhiteSpace(configuration[SettingNames.ServiceBusConnectionString]))
        {
            missing.Add("ServiceBus__fullyQualifiedNamespace is not set (the deployment's alert events go to its Service Bus topic)");
        }

        return missing.Count == 0 ? null : string.Join("; ", missing);
    }

    private static readonly (string Setting, string Purpose)[] s_recipientSettings =
    [
        ("Email__From", "the sender address"),
        ("Email__OnCall", "who also receives critical alerts"),
        ("Email__Ops", "who receives the ops alerts"),
    ];

    /// <summary>
    /// What the transport's own options class refuses (its DataAnnotations, the rules the host validates at start-up): one
    /// source for which settings a transport needs, so this check and the app cannot disagree.
    /// </summary>
    private static IEnumerable<string> Invalid<TOptions>(IConfiguration configuration, string section)
        where TOptions : class, new()
    {
        TOptions options;
        try
        {
            options = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        }
        catch (InvalidOperationException ex)
        {
            return [$"{section}__* cannot be read: {ex.Message}"];
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? string.Join(", ", r.MemberNames));
    }
}

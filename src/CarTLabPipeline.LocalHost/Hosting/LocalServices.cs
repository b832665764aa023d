using CarTLabPipeline.Adapters;
using CarTLabPipeline.LocalHost.Local;
using Microsoft.Extensions.Configuration;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The Azurite and MailDev a session started because it needed them and nothing listened; stopped (MailDev first) when
/// disposed. What is already running is used and left running.
/// </summary>
internal sealed class LocalServices : IAsyncDisposable
{
    private LocalNodeService? _azurite;
    private LocalNodeService? _mailDev;

    public bool StartedAzurite => _azurite is not null;

    public bool StartedMailDev => _mailDev is not null;

    /// <summary>The MailDev web inbox when the session sends email to a local SMTP server, else null.</summary>
    public Uri? Inbox { get; private set; }

    /// <summary>Starts Azurite on its default ports when the target is the local default and nothing listens there.</summary>
    public async Task StartAzuriteIfNeededAsync(SessionOptions options, StorageTarget target, CancellationToken cancellationToken)
    {
        if (!target.IsLocalDefault)
        {
            return;
        }

        int[] ports = [Azurite.DefaultBlobPort, Azurite.DefaultQueuePort, Azurite.DefaultTablePort];
        var listening = ports.Count(LocalNodeService.IsListening);
        if (listening == ports.Length)
        {
            return; // someone else's Azurite (or the emulator): use it, leave it running
        }

        if (listening > 0)
        {
            throw new PermanentPipelineException(
                $"Only some of the development storage ports {string.Join(", ", ports)} are in use: stop whatever holds them, or pass --storage.");
        }

        var data = options.DataDirectory ?? Path.Combine(LocalNodeService.FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), ".local", "azurite");
        _azurite = await Azurite.StartAsync(ports[0], ports[1], ports[2], data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts MailDev when the session sends (<see cref="TriggerModes.Sends"/>) on the local default, email goes by SMTP to
    /// loopback and nothing listens on the SMTP port. Commands that only read or evaluate (enroll, results, status…), and
    /// every command against other storage, never start it.
    /// </summary>
    public async Task StartMailDevIfNeededAsync(IConfiguration configuration, SessionOptions options, StorageTarget target, CancellationToken cancellationToken)
    {
        if (!options.Triggers.Sends() || !target.IsLocalDefault)
        {
            return;
        }

        var provider = configuration[SettingNames.EmailProvider];
        var host = configuration["Smtp:Host"];
        if (!string.Equals(provider, "Smtp", StringComparison.OrdinalIgnoreCase) || host is not ("127.0.0.1" or "localhost")
            || !int.TryParse(configuration["Smtp:Port"], System.Globalization.CultureInfo.InvariantCulture, out var smtpPort))
        {
            return;
        }

        Inbox = MailDev.WebUri(options.MailDevWebPort);
        if (LocalNodeService.IsListening(smtpPort))
        {
            return;
        }

        // Mails persist beside the local Azurite's data.
        var mails = options.MailDirectory ?? Path.Combine(LocalNodeService.FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), ".local", "maildev");
        _mailDev = await MailDev.StartAsync(smtpPort, options.MailDevWebPort, mails, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var started in new[] { _mailDev, _azurite })
        {
            if (started is not null)
            {
                await started.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

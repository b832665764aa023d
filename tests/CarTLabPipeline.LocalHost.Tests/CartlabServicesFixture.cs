using System.Globalization;
using CarTLabPipeline.Adapters.Local;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>
/// Azurite and MailDev on free ports for the tests that run <c>cartlab</c>. <c>cartlab</c> starts a MailDev of its own on the
/// default ports (SMTP 1025, web 1080) when nothing listens on <c>Smtp:Port</c>; this fixture points <c>Smtp__Port</c> (an
/// environment variable, which every session of this process reads) at its own MailDev, so no test ever binds a fixed port
/// and a <c>cartlab serve</c> running on the same machine cannot break them.
/// </summary>
public sealed class CartlabServicesFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private LocalNodeService? _mailDev;

    public string ConnectionString => _azurite.ConnectionString;

    public int SmtpPort { get; private set; }

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var ports = LocalNodeService.FreePorts(2);
        _mailDev = await MailDev.StartAsync(ports[0], ports[1], mailDirectory: null, CancellationToken.None);
        SmtpPort = ports[0];
        Environment.SetEnvironmentVariable("Smtp__Port", SmtpPort.ToString(CultureInfo.InvariantCulture));
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("Smtp__Port", null);
        if (_mailDev is not null)
        {
            await _mailDev.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}

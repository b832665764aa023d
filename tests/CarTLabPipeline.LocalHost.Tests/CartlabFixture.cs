using CarTLabPipeline.LocalHost.Local;

namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>
/// One Azurite and one MailDev per test run, both on free ports and in memory, and the settings that point
/// <c>cartlab</c> at that MailDev: to <c>cartlab</c> this Azurite is not the local default, so it starts nothing itself
/// and sends only through the transport configured here.
/// </summary>
public sealed class CartlabFixture : IAsyncLifetime
{
    private readonly int[] _ports = LocalNodeService.FreePorts(5);
    private LocalNodeService? _azurite;
    private LocalNodeService? _mailDev;

    public string ConnectionString => Azurite.ConnectionString(_ports[0], _ports[1], _ports[2]);

    /// <summary>The MailDev web API (<c>/api/email</c>).</summary>
    public Uri Inbox => MailDev.WebUri(_ports[4]);

    /// <summary>Email by SMTP to this fixture's MailDev, with example sender, on-call and ops lists.</summary>
    public IReadOnlyDictionary<string, string?> Settings => SettingsFor(_ports[3]);

    /// <summary>Email by SMTP to 127.0.0.1:<paramref name="smtpPort"/>, with example sender, on-call and ops lists.</summary>
    public static IReadOnlyDictionary<string, string?> SettingsFor(int smtpPort) => new Dictionary<string, string?>
    {
        ["Email:Provider"] = "Smtp",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:Security"] = "None",
        ["Email:From"] = "CAR-T lab alerts <cart-alerts@hospital.example>",
        ["Email:OnCall"] = "haematology.oncall@hospital.example",
        ["Email:Ops"] = "cartlab.ops@hospital.example",
        ["Http:Port"] = "0", // a serve in these tests never takes 7071 from a cartlab running on the machine
    };

    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(
            Azurite.StartAsync(_ports[0], _ports[1], _ports[2], location: null, CancellationToken.None),
            MailDev.StartAsync(_ports[3], _ports[4], mailDirectory: null, CancellationToken.None));
        (_azurite, _mailDev) = (started[0], started[1]);
    }

    public async Task DisposeAsync()
    {
        foreach (var service in new[] { _mailDev, _azurite })
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }
        }
    }
}

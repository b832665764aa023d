using CarTLabPipeline.LocalHost.Local;

namespace CarTLabPipeline.Reliability.Tests;

/// <summary>
/// Azurite persisting under a temporary folder (so a stop and restart keeps the data, as a storage outage does) and MailDev
/// keeping its mails on disk, both on free ports; each can be stopped and started again on the same ports.
/// </summary>
/// <param name="azuriteInMemory">
/// Azurite keeps its data in memory only (a restart loses it). For a table of a million rows: Azurite writes its table
/// store to disk as one JSON string, and V8's strings end at 512 MB — a million-row CSV killed it at 511,700 rows.
/// Every run that does not restart Azurite uses it: Azurite then spends no CPU writing its store to disk.
/// </param>
internal sealed class LocalServices(bool azuriteInMemory = false) : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"cartlab-rel-{Guid.NewGuid():N}");
    private readonly int[] _ports = LocalNodeService.FreePorts(5);
    private LocalNodeService? _azurite;
    private LocalNodeService? _mailDev;
    private int _webPort;
    private bool _mailDevStarted;

    public string ConnectionString => Azurite.ConnectionString(_ports[0], _ports[1], _ports[2]);

    public int SmtpPort => _ports[3];

    /// <summary>
    /// MailDev's web API. A restart takes a fresh web port: the old one was free for the length of the outage, and on a busy
    /// machine (five test assemblies taking free ports) another process took it, so MailDev came back without its web API
    /// and the suite's read of the mails was refused. The SMTP port stays: <c>cartlab serve</c> is configured with it.
    /// </summary>
    public Uri MailDevApi => new($"http://127.0.0.1:{Volatile.Read(ref _webPort)}/");

    public async Task StartAsync()
    {
        await StartAzuriteAsync();
        await StartMailDevAsync();
    }

    public async Task StartAzuriteAsync() =>
        _azurite = await Azurite.StartAsync(_ports[0], _ports[1], _ports[2], azuriteInMemory ? null : Path.Combine(_root, "azurite"), CancellationToken.None);

    /// <summary>Stops Azurite (SIGTERM: it writes its data to disk first).</summary>
    public async Task StopAzuriteAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
            _azurite = null;
        }
    }

    public async Task StartMailDevAsync()
    {
        Volatile.Write(ref _webPort, _mailDevStarted ? LocalNodeService.FreePorts(1)[0] : _ports[4]);
        _mailDevStarted = true;
        _mailDev = await MailDev.StartAsync(_ports[3], _webPort, Path.Combine(_root, "maildev"), CancellationToken.None);
    }

    public async Task StopMailDevAsync()
    {
        if (_mailDev is not null)
        {
            await _mailDev.DisposeAsync();
            _mailDev = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopMailDevAsync();
        await StopAzuriteAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // a file still held: the temp folder is cleaned by the OS
        }
    }
}

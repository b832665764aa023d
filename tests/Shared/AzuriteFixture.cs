using CarTLabPipeline.LocalHost.Local;

namespace CarTLabPipeline.Testing;

/// <summary>
/// A real Azurite, started from the repository's node_modules on free ports with in-memory persistence. Used as a
/// collection fixture, so each test assembly starts one (Adapters.Tests: <c>AzuriteCollection</c>; LocalHost.Tests:
/// <c>CartlabCollection</c>, with a MailDev beside it). Tests isolate themselves inside it with unique patient ids and file names.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private LocalNodeService? _azurite;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var ports = LocalNodeService.FreePorts(3);
        var (blob, queue, table) = (ports[0], ports[1], ports[2]);
        _azurite = await Azurite.StartAsync(blob, queue, table, location: null, CancellationToken.None);
        ConnectionString = Azurite.ConnectionString(blob, queue, table);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

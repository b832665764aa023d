using System.Globalization;

namespace CarTLabPipeline.LocalHost.Local;

/// <summary>Azurite (npm <c>azurite</c>): blob, queue and table emulator for local runs and integration tests.</summary>
public static class Azurite
{
    /// <summary>The well-known, public development account key of Azurite and the storage emulator (not a secret).</summary>
    public const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public const int DefaultBlobPort = 10000;
    public const int DefaultQueuePort = 10001;
    public const int DefaultTablePort = 10002;

    /// <summary>The connection string of an Azurite listening on the given ports.</summary>
    public static string ConnectionString(int blobPort, int queuePort, int tablePort) => string.Create(CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;");

    /// <summary>True for <c>UseDevelopmentStorage=true</c> and connection strings to Azurite's default ports.</summary>
    public static bool IsDevelopmentStorage(string? connectionString) =>
        connectionString is not null && (connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase) ||
            connectionString.Contains($"127.0.0.1:{DefaultBlobPort}/devstoreaccount1", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Starts Azurite on the given ports; in memory (tests) or persisting under <paramref name="location"/> (local host).
    /// </summary>
    /// <remarks>
    /// Returns once each of the three services has answered an HTTP request, not only opened its port: on a loaded machine
    /// Azurite's first answer came more than 10 s after its ports opened, and the <c>cartlab</c> started on it then reported
    /// the account unreachable (<see cref="Hosting.CartlabSession.ConnectTimeout"/>).
    /// </remarks>
    public static async Task<LocalNodeService> StartAsync(int blobPort, int queuePort, int tablePort, string? location, CancellationToken cancellationToken)
    {
        var service = await StartProcessAsync(blobPort, queuePort, tablePort, location, cancellationToken).ConfigureAwait(false);
        try
        {
            using var http = new HttpClient { Timeout = LocalNodeService.StartTimeout };
            foreach (var port in new[] { blobPort, queuePort, tablePort })
            {
                // Any status will do (an unsigned request is refused): it proves the service answers.
                using var _ = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/devstoreaccount1?comp=list"), cancellationToken).ConfigureAwait(false);
            }

            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Task<LocalNodeService> StartProcessAsync(int blobPort, int queuePort, int tablePort, string? location, CancellationToken cancellationToken)
    {
        var args = new List<string>
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", blobPort.ToString(CultureInfo.InvariantCulture),
            "--queuePort", queuePort.ToString(CultureInfo.InvariantCulture),
            "--tablePort", tablePort.ToString(CultureInfo.InvariantCulture),
        };
        if (location is null)
        {
            args.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(location);
            args.AddRange(["--location", location]);
        }

        return LocalNodeService.StartAsync("Azurite", "azurite", args, [blobPort, queuePort, tablePort], LocalNodeService.StartTimeout, cancellationToken);
    }
}

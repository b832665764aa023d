using System.Collections.Concurrent;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Testing;
using Microsoft.Extensions.Configuration;

namespace CarTLabPipeline.Adapters.Tests.Contracts;

/// <summary>
/// One Azurite for every class of the collection (the contract suites on Azure adapters): started once per test run,
/// provisioned once; tests keep apart with unique patient ids, alert ids, blob and queue names.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>Storage clients on the shared Azurite, with the pipeline's containers, queues and tables created.</summary>
internal static class AzuriteStorage
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<StorageClients>>> s_clients = new(StringComparer.Ordinal);

    public static Task<StorageClients> ClientsAsync(AzuriteFixture azurite) =>
        s_clients.GetOrAdd(azurite.ConnectionString, cs => new Lazy<Task<StorageClients>>(() => ProvisionAsync(cs))).Value;

    private static async Task<StorageClients> ProvisionAsync(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SettingNames.StorageConnection] = connectionString })
            .Build();
        var clients = StorageClients.FromConfiguration(configuration);
        await new StorageProvisioner(clients).ProvisionAsync(CancellationToken.None);
        return clients;
    }
}

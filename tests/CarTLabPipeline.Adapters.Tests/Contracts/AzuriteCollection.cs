using System.Collections.Concurrent;
using Azure.Core.Pipeline;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Testing;
using Microsoft.Extensions.Configuration;

namespace CarTLabPipeline.Adapters.Tests.Contracts;

/// <summary>
/// The test assembly's one Azurite, for every class that needs storage (the contract suites on the Azure adapters and the
/// pipeline, delivery and correction integration tests): started once per test run on free ports, provisioned once.
/// The classes of a collection run one at a time; contract tests keep apart with unique patient ids, alert ids, blob and
/// queue names, and each <see cref="PipelineHarness"/> starts on empty pipeline queues.
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

    /// <summary>Clients of their own (not provisioned) that pass every request through <paramref name="policies"/>.</summary>
    public static StorageClients Counted(AzuriteFixture azurite, params HttpPipelinePolicy[] policies) =>
        StorageClients.FromConfiguration(Configuration(azurite.ConnectionString), new HttpPipelinePolicyHolder(policies));

    private static IConfiguration Configuration(string connectionString) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [SettingNames.StorageConnection] = connectionString })
        .Build();

    private static async Task<StorageClients> ProvisionAsync(string connectionString)
    {
        var clients = StorageClients.FromConfiguration(Configuration(connectionString));
        await new StorageProvisioner(clients).ProvisionAsync(CancellationToken.None);
        return clients;
    }
}

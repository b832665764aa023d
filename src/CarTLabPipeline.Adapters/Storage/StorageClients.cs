using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary>
/// The three storage service clients, built from the <c>AzureWebJobsStorage</c> setting: a connection string
/// (Azurite, <c>UseDevelopmentStorage=true</c>) or identity-based <c>AzureWebJobsStorage__blobServiceUri</c>,
/// <c>__queueServiceUri</c>, <c>__tableServiceUri</c> with <c>__credential=managedidentity</c> and <c>__clientId</c>.
/// </summary>
public sealed class StorageClients
{
    public StorageClients(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables)
    {
        Blobs = blobs;
        Queues = queues;
        Tables = tables;
    }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }

    /// <summary>Queue messages are Base64, as the Functions and WebJobs queue triggers expect by default.</summary>
    public static QueueClientOptions QueueOptions(HttpPipelinePolicyHolder? policies = null)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        policies?.ApplyTo(options);
        return options;
    }

    /// <summary>Builds the clients from configuration (see the type's remarks for the settings).</summary>
    /// <exception cref="InvalidOperationException">Neither a connection string nor service URIs are configured.</exception>
    public static StorageClients FromConfiguration(IConfiguration configuration, HttpPipelinePolicyHolder? policies = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SettingNames.StorageConnection);
        var blobOptions = new BlobClientOptions();
        var tableOptions = new TableClientOptions();
        policies?.ApplyTo(blobOptions);
        policies?.ApplyTo(tableOptions);

        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            var cs = section.Value;
            return new StorageClients(new BlobServiceClient(cs, blobOptions), new QueueServiceClient(cs, QueueOptions(policies)),
                new TableServiceClient(cs, tableOptions));
        }

        var blobUri = section["blobServiceUri"];
        var queueUri = section["queueServiceUri"];
        var tableUri = section["tableServiceUri"];
        if (blobUri is null || queueUri is null || tableUri is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured: set {SettingNames.StorageConnection} to a connection string, or " +
                $"{SettingNames.StorageConnection}__blobServiceUri, __queueServiceUri and __tableServiceUri for an identity-based connection.");
        }

        var credential = CreateCredential(section);
        return new StorageClients(new BlobServiceClient(new Uri(blobUri), credential, blobOptions),
            new QueueServiceClient(new Uri(queueUri), credential, QueueOptions(policies)),
            new TableServiceClient(new Uri(tableUri), credential, tableOptions));
    }

    /// <summary>The credential of an identity-based connection section (<c>credential</c>, <c>clientId</c>).</summary>
    public static TokenCredential CreateCredential(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var clientId = section["clientId"];
        return string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}

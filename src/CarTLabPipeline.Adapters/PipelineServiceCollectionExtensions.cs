using CarTLabPipeline.Adapters.Messaging;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CarTLabPipeline.Adapters;

/// <summary>The one composition root both hosts (Functions and <c>cartlab</c>) call.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Registers Core, the storage adapters for every port, and the alert publisher (the local <c>lab-alerts</c> queue).
    /// </summary>
    public static IServiceCollection AddCarTLabPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddCarTLabPipelineCore(configuration);

        services.TryAddSingleton(sp => StorageClients.FromConfiguration(configuration, sp.GetService<HttpPipelinePolicyHolder>()));
        services.TryAddSingleton<StorageProvisioner>();
        services.TryAddSingleton<ILabResultStore, TableLabResultStore>();
        services.TryAddSingleton<IPatientStore, TablePatientStore>();
        services.TryAddSingleton<IAlertStore, TableAlertStore>();
        services.TryAddSingleton<IFileLedger, TableFileLedger>();
        services.TryAddSingleton<ILabFileStore, BlobLabFileStore>();
        services.TryAddSingleton<IPipelineQueue, StorageQueue>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertPublisher, QueueAlertPublisher>());
        return services;
    }
}

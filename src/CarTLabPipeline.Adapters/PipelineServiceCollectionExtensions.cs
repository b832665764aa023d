using Azure.Messaging.ServiceBus;
using CarTLabPipeline.Adapters.Charts;
using CarTLabPipeline.Adapters.Email;
using CarTLabPipeline.Adapters.Messaging;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Composition;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CarTLabPipeline.Adapters;

/// <summary>The one composition root both hosts (Functions and <c>cartlab</c>) call.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Registers Core, the storage adapters for every port, the alert-event channel (the Service Bus topic when a namespace
    /// or connection string is configured, else the local <c>lab-alerts</c> queue), and the email channel when
    /// <c>Email:Provider</c> is <c>Smtp</c> or <c>SendGrid</c>.
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
        services.TryAddSingleton<Operations.IPipelineMonitor, StoragePipelineMonitor>();
        services.TryAddSingleton<ITrendChartRenderer, ScottPlotTrendChartRenderer>();
        AddAlertEvents(services, configuration);
        AddEmail(services, configuration);
        return services;
    }

    private static void AddAlertEvents(IServiceCollection services, IConfiguration configuration)
    {
        var ns = configuration[SettingNames.ServiceBusNamespace];
        var connectionString = configuration[SettingNames.ServiceBusConnectionString];
        if (string.IsNullOrWhiteSpace(ns) && string.IsNullOrWhiteSpace(connectionString))
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertPublisher, QueueAlertPublisher>());
            return;
        }

        services.TryAddSingleton(_ => string.IsNullOrWhiteSpace(connectionString)
            ? new ServiceBusClient(ns, StorageClients.CreateCredential(configuration.GetSection(SettingNames.ServiceBusConnection)))
            : new ServiceBusClient(connectionString));
        services.TryAddSingleton(sp => sp.GetRequiredService<ServiceBusClient>().CreateSender(PipelineNames.ServiceBus.AlertsTopic));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertPublisher, ServiceBusAlertPublisher>());
    }

    private static void AddEmail(IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.GetSection(EmailOptions.SectionName).Get<EmailOptions>()?.Provider ?? EmailProvider.None;
        switch (provider)
        {
            case EmailProvider.Smtp:
                services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
                services.TryAddSingleton<IEmailSender, SmtpEmailSender>();
                break;
            case EmailProvider.SendGrid:
                services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
                services.TryAddSingleton<IEmailSender, SendGridEmailSender>();
                break;
            default:
                return;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertPublisher, EmailAlertPublisher>());
    }
}

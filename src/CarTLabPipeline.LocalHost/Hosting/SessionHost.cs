using CarTLabPipeline.Adapters;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// The host of a session: configuration (local defaults on the local default only, environment, the session's settings,
/// the storage target),
/// logging, the pipeline's services, and — when the session runs triggers — the WebJobs SDK with the chosen functions.
/// </summary>
internal static class SessionHost
{
    public static IHost Build(SessionOptions options, StorageTarget target)
    {
        var builder = new HostBuilder()
            .UseEnvironment(Environments.Development)
            .ConfigureAppConfiguration(config =>
            {
                if (target.IsLocalDefault)
                {
                    // Elsewhere nothing defaults: a transport or recipient list not configured is not there (MailTransport).
                    config.AddInMemoryCollection(LocalDefaults.Settings);
                }

                config.AddEnvironmentVariables();
                config.AddInMemoryCollection(options.Settings);
                config.AddInMemoryCollection(target.Settings);
            })
            .ConfigureLogging(logging => SessionLogging.Configure(logging, options.LogLevel, options.Verbose));

        if (options.Triggers != TriggerMode.None)
        {
            builder.ConfigureWebJobs(webJobs =>
            {
                webJobs.AddAzureStorageCoreServices();
                webJobs.AddAzureStorageQueues(queues =>
                {
                    // Low latency locally (SessionOptions.QueuePolling; the SDK's 1 min default gave 12.8 s pickups).
                    queues.MaxPollingInterval = options.QueuePolling;
                    queues.VisibilityTimeout = TimeSpan.FromSeconds(2);
                    queues.BatchSize = 16;
                    queues.MaxDequeueCount = 5;
                });
                if (options.Triggers == TriggerMode.All)
                {
                    webJobs.AddAzureStorageBlobs();
                }
            });
        }

        builder.ConfigureServices((context, services) =>
        {
            services.AddCarTLabPipeline(context.Configuration);
            services.AddSingleton(options);
            services.AddSingleton<PipelineActivity>();
            // Registered after the WebJobs services, so it replaces the SDK's handler (which ends the process).
            services.AddSingleton<ListenerFaults>();
            services.AddSingleton<Microsoft.Azure.WebJobs.Host.Timers.IWebJobsExceptionHandlerFactory>(sp => sp.GetRequiredService<ListenerFaults>());
            services.AddSingleton<Microsoft.Azure.WebJobs.Host.Timers.IWebJobsExceptionHandler>(sp => sp.GetRequiredService<ListenerFaults>());
            services.AddSingleton<ITypeLocator>(new FixedTypeLocator(options.Triggers switch
            {
                TriggerMode.All => [typeof(ResultFunctions), typeof(DispatchFunctions), typeof(BlobFunctions)],
                TriggerMode.Queues => [typeof(ResultFunctions), typeof(DispatchFunctions)],
                TriggerMode.Evaluation => [typeof(ResultFunctions)],
                _ => [],
            }));
            if (options.Triggers == TriggerMode.All)
            {
                services.AddHostedService<ReconciliationTimer>();
                services.AddHostedService<MonitoringTimer>();
            }

            if (options.Triggers.Sends())
            {
                services.AddHostedService<OutboxRecoveryTimer>();
                services.AddHostedService<EscalationTimer>();
            }

            options.ConfigureServices?.Invoke(services);
        });

        return builder.Build();
    }

    /// <summary>Tells the WebJobs SDK which function classes to index.</summary>
    private sealed class FixedTypeLocator(IReadOnlyList<Type> types) : ITypeLocator
    {
        public IReadOnlyList<Type> GetTypes() => types;
    }
}

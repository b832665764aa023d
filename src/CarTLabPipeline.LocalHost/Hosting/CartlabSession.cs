using CarTLabPipeline.Adapters;
using CarTLabPipeline.Adapters.Local;
using CarTLabPipeline.Adapters.Storage;
using Microsoft.Azure.WebJobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>Which triggers a <c>cartlab</c> command runs.</summary>
public enum TriggerMode
{
    /// <summary>No triggers: services only (enroll, alerts…).</summary>
    None,
    /// <summary>The queue triggers (process, demo): files are ingested by the command itself, not by the blob scan.</summary>
    Queues,
    /// <summary>Everything: queue triggers, blob trigger and the reconciliation sweep (serve).</summary>
    All,
}

/// <summary>What a session needs to know.</summary>
public sealed record SessionOptions
{
    /// <summary>Storage connection string; null = the <c>AzureWebJobsStorage</c> environment variable, else development storage.</summary>
    public string? Storage { get; init; }

    public TriggerMode Triggers { get; init; } = TriggerMode.None;

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Extra configuration (tests).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where a started Azurite keeps its data; default <c>.local/azurite</c> in the repository.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Extra services (tests).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Web port of a MailDev this session starts (the SMTP port is <c>Smtp:Port</c>). Default 1080.</summary>
    public int MailDevWebPort { get; init; } = MailDev.DefaultWebPort;

    /// <summary>Where a started MailDev keeps the mails; default <c>.local/maildev</c> on development storage, else in memory.</summary>
    public string? MailDirectory { get; init; }
}

/// <summary>
/// One <c>cartlab</c> run: starts Azurite when the connection is development storage and nothing listens, provisions
/// storage, hosts the chosen triggers on the WebJobs SDK, and on dispose stops what it started (the host first, then the
/// MailDev and Azurite it started).
/// </summary>
/// <remarks>
/// A session with triggers is supervised: when a listener stops (storage unreachable past the client's retries), the
/// triggers are stopped and started again once storage answers, with a back-off from <see cref="FirstRestartDelay"/>
/// doubling to <see cref="MaxRestartDelay"/>; the process never ends because storage went away for a while.
/// </remarks>
public sealed partial class CartlabSession : IAsyncDisposable
{
    /// <summary>How long stopping the host may take before the process goes on without it.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Wait before the first restart of the triggers after a listener stopped.</summary>
    public static readonly TimeSpan FirstRestartDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between two restart attempts while storage stays unreachable.</summary>
    public static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(15);

    private readonly SessionOptions _options;
    private readonly LocalNodeService? _azurite;
    private readonly LocalNodeService? _mailDev;
    private readonly CancellationTokenSource _stopping = new();
    private IHost _host;
    private Task _supervisor = Task.CompletedTask;
    private int _restarts;

    private CartlabSession(SessionOptions options, IHost host, LocalNodeService? azurite, LocalNodeService? mailDev, Uri? inbox, string connectionString)
    {
        _options = options;
        _host = host;
        _azurite = azurite;
        _mailDev = mailDev;
        Inbox = inbox;
        ConnectionString = connectionString;
    }

    /// <summary>The services of the running host (a restart after a storage outage replaces them).</summary>
    public IServiceProvider Services => Volatile.Read(ref _host).Services;

    /// <summary>How many times the triggers were restarted after a listener stopped.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    private StorageClients Clients => Services.GetRequiredService<StorageClients>();

    public string ConnectionString { get; }

    /// <summary>True when this session started Azurite itself.</summary>
    public bool StartedAzurite => _azurite is not null;

    /// <summary>True when this session started MailDev itself.</summary>
    public bool StartedMailDev => _mailDev is not null;

    /// <summary>The MailDev web inbox when email goes to a local SMTP server, else null.</summary>
    public Uri? Inbox { get; }

    /// <summary>
    /// What <c>cartlab</c> uses when nothing else is configured (docs/design.md §7): email by SMTP to MailDev on loopback, with
    /// example on-call and ops lists. Environment variables and <see cref="SessionOptions.Settings"/> override each.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> LocalDefaults { get; } = new Dictionary<string, string?>
    {
        [SettingNames.EmailProvider] = "Smtp",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = "1025",
        ["Smtp:Security"] = "None",
        ["Email:From"] = "CAR-T lab alerts <cart-alerts@hospital.example>",
        ["Email:OnCall"] = "haematology.oncall@hospital.example",
        ["Email:Ops"] = "cartlab.ops@hospital.example",
        ["Email:PublicBaseUrl"] = "http://127.0.0.1:7071",
    };

    public static async Task<CartlabSession> StartAsync(SessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = options.Storage
            ?? Environment.GetEnvironmentVariable(SettingNames.StorageConnection)
            ?? SettingNames.DevelopmentStorage;

        LocalNodeService? azurite = null;
        if (Azurite.IsDevelopmentStorage(connection))
        {
            azurite = await EnsureAzuriteAsync(options, cancellationToken).ConfigureAwait(false);
        }

        LocalNodeService? mailDev = null;
        try
        {
            var host = BuildHost(options, connection);
            var (inbox, smtpPort) = LocalInbox(host.Services.GetRequiredService<IConfiguration>(), options);
            if (inbox is not null && !LocalNodeService.IsListening(smtpPort))
            {
                // Mails persist beside the local Azurite's data; sessions on other storage (tests) keep them in memory.
                var mails = options.MailDirectory ?? (Azurite.IsDevelopmentStorage(connection)
                    ? Path.Combine(LocalNodeService.FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), ".local", "maildev")
                    : null);
                mailDev = await MailDev.StartAsync(smtpPort, options.MailDevWebPort, mails, cancellationToken).ConfigureAwait(false);
            }

            await host.Services.GetRequiredService<StorageProvisioner>().ProvisionAsync(cancellationToken).ConfigureAwait(false);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var session = new CartlabSession(options, host, azurite, mailDev, inbox, connection);
            if (options.Triggers != TriggerMode.None)
            {
                session._supervisor = Task.Run(session.SuperviseAsync, CancellationToken.None);
            }

            return session;
        }
        catch
        {
            foreach (var started in new[] { mailDev, azurite })
            {
                if (started is not null)
                {
                    await started.DisposeAsync().ConfigureAwait(false);
                }
            }

            throw;
        }
    }

    /// <summary>
    /// Waits until no handler runs and the work queues are empty on several consecutive checks.
    /// </summary>
    /// <returns>False when <paramref name="timeout"/> passed first.</returns>
    public async Task<bool> WaitUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var activity = Services.GetRequiredService<PipelineActivity>();
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var quiet = 0;
        while (quiet < 3)
        {
            if (elapsed.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            var busy = activity.Running > 0;
            foreach (var queue in PipelineNames.Queues.Work)
            {
                if (busy)
                {
                    break;
                }

                var properties = await Clients.Queues.GetQueueClient(queue).GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
                busy = properties.Value.ApproximateMessagesCount > 0;
            }

            quiet = busy ? 0 : quiet + 1;
        }

        return true;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (Ctrl+C).</summary>
    public async Task RunUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await _supervisor.ConfigureAwait(false);
        await StopHostAsync(Volatile.Read(ref _host)).ConfigureAwait(false);
        _stopping.Dispose();
        if (_mailDev is not null)
        {
            await _mailDev.DisposeAsync().ConfigureAwait(false);
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops and disposes a host within <see cref="StopTimeout"/> (at least a second for the disposal): in-flight handlers
    /// are cancelled (their work resumes later). Never throws: listeners that cannot stop (storage gone) are dropped.
    /// </summary>
    private static async Task StopHostAsync(IHost host)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var stop = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                // Bounded even when a hosted service's stop ignores the token (the WebJobs host waits for its listeners).
                await host.StopAsync(stop.Token).WaitAsync(StopTimeout).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Stopping took too long, or a listener failed to stop (the Azure SDK's AggregateException after its
                // retries): the host is dropped anyway; a stop must never end in an unhandled exception.
            }
        }

        var left = StopTimeout - clock.Elapsed;
        try
        {
            await Task.Run(host.Dispose).WaitAsync(left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Disposing waits for listeners still polling a storage that does not answer, or fails with them: left to the exit.
        }
    }

    /// <summary>
    /// Waits for a listener of the running host to stop; then restarts the triggers on a new host as soon as storage
    /// answers (provisioning is the probe), backing off while it does not. Ends when the session is disposed.
    /// </summary>
    private async Task SuperviseAsync()
    {
        var stopped = Task.Delay(Timeout.Infinite, _stopping.Token);
        while (!_stopping.IsCancellationRequested)
        {
            var host = Volatile.Read(ref _host);
            var faulted = host.Services.GetRequiredService<ListenerFaults>().Faulted;
            if (await Task.WhenAny(faulted, stopped).ConfigureAwait(false) != faulted)
            {
                return;
            }

            var down = System.Diagnostics.Stopwatch.StartNew();
            var logger = host.Services.GetRequiredService<ILogger<CartlabSession>>();
            await StopHostAsync(host).ConfigureAwait(false);
            var delay = FirstRestartDelay;
            var attempts = 0;
            while (true)
            {
                try
                {
                    await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                attempts++;
                var next = BuildHost(_options, ConnectionString);
                try
                {
                    await next.Services.GetRequiredService<StorageProvisioner>().ProvisionAsync(_stopping.Token).ConfigureAwait(false);
                    await next.StartAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    await StopHostAsync(next).ConfigureAwait(false);
                    if (_stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    delay = delay * 2 < MaxRestartDelay ? delay * 2 : MaxRestartDelay;
                    if (attempts == 1 || attempts % 10 == 0)
                    {
                        LogStillDown(logger, ex.GetType().Name, down.Elapsed.TotalSeconds, delay.TotalSeconds);
                    }

                    continue;
                }

                Volatile.Write(ref _host, next);
                Interlocked.Increment(ref _restarts);
                LogRestarted(next.Services.GetRequiredService<ILogger<CartlabSession>>(), down.Elapsed.TotalSeconds, attempts);
                break;
            }
        }
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Storage still unreachable after {Seconds:0} s ({ErrorType}); the triggers restart when it answers (next try in {Delay:0} s)")]
    private static partial void LogStillDown(ILogger logger, string errorType, double seconds, double delay);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Triggers restarted after {Seconds:0.0} s ({Attempts} attempt(s)): storage answers again")]
    private static partial void LogRestarted(ILogger logger, double seconds, int attempts);

    /// <summary>The MailDev inbox and SMTP port when email goes by SMTP to loopback; (null, 0) otherwise.</summary>
    private static (Uri? Inbox, int SmtpPort) LocalInbox(IConfiguration configuration, SessionOptions options)
    {
        var provider = configuration[SettingNames.EmailProvider];
        var host = configuration["Smtp:Host"];
        if (!string.Equals(provider, "Smtp", StringComparison.OrdinalIgnoreCase) || host is not ("127.0.0.1" or "localhost")
            || !int.TryParse(configuration["Smtp:Port"], System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            return (null, 0);
        }

        return (MailDev.WebUri(options.MailDevWebPort), port);
    }

    private static async Task<LocalNodeService?> EnsureAzuriteAsync(SessionOptions options, CancellationToken cancellationToken)
    {
        int[] ports = [Azurite.DefaultBlobPort, Azurite.DefaultQueuePort, Azurite.DefaultTablePort];
        var listening = ports.Count(LocalNodeService.IsListening);
        if (listening == ports.Length)
        {
            return null; // someone else's Azurite (or the emulator): use it, leave it running
        }

        if (listening > 0)
        {
            throw new InvalidOperationException(
                $"Only some of the development storage ports {string.Join(", ", ports)} are in use: stop whatever holds them, or pass --storage.");
        }

        var data = options.DataDirectory ?? Path.Combine(LocalNodeService.FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), ".local", "azurite");
        return await Azurite.StartAsync(ports[0], ports[1], ports[2], data, cancellationToken).ConfigureAwait(false);
    }

    private static IHost BuildHost(SessionOptions options, string connection)
    {
        var builder = new HostBuilder()
            .UseEnvironment(Environments.Development)
            .ConfigureAppConfiguration(config =>
            {
                config.AddInMemoryCollection(LocalDefaults);
                config.AddEnvironmentVariables();
                config.AddInMemoryCollection(options.Settings);
                config.AddInMemoryCollection(new Dictionary<string, string?> { [SettingNames.StorageConnection] = connection });
            })
            .ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                });
                logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                logging.SetMinimumLevel(options.LogLevel);
                // Every expected 404 (queues not created yet, blob receipts) is a warning there.
                logging.AddFilter("Azure.Core", LogLevel.Error);
                logging.AddFilter("Azure.Messaging", LogLevel.Error);
                logging.AddFilter("Host", options.LogLevel <= LogLevel.Debug ? LogLevel.Information : LogLevel.Warning);
                logging.AddFilter("Function", options.LogLevel <= LogLevel.Debug ? LogLevel.Information : LogLevel.Warning);
                logging.AddFilter("Microsoft", LogLevel.Warning);
                // A host that fails to start (e.g. a setting that fails validation) is said once, in one line, by the CLI
                // (Program.Describe); the host's own log of it is a stack trace, kept for --verbose.
                logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", options.LogLevel <= LogLevel.Information ? LogLevel.Information : LogLevel.None);
            });

        if (options.Triggers != TriggerMode.None)
        {
            builder.ConfigureWebJobs(webJobs =>
            {
                webJobs.AddAzureStorageCoreServices();
                webJobs.AddAzureStorageQueues(queues =>
                {
                    // Low latency locally (measured here: 1 min default polling → 12.8 s pickups; 200 ms → ≤ 0.3 s).
                    queues.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
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
            services.AddSingleton<PipelineActivity>();
            // Registered after the WebJobs services, so it replaces the SDK's handler (which ends the process).
            services.AddSingleton<ListenerFaults>();
            services.AddSingleton<Microsoft.Azure.WebJobs.Host.Timers.IWebJobsExceptionHandlerFactory>(sp => sp.GetRequiredService<ListenerFaults>());
            services.AddSingleton<Microsoft.Azure.WebJobs.Host.Timers.IWebJobsExceptionHandler>(sp => sp.GetRequiredService<ListenerFaults>());
            services.AddSingleton<ITypeLocator>(new FixedTypeLocator(options.Triggers switch
            {
                TriggerMode.All => [typeof(QueueFunctions), typeof(BlobFunctions)],
                TriggerMode.Queues => [typeof(QueueFunctions)],
                _ => [],
            }));
            if (options.Triggers == TriggerMode.All)
            {
                services.AddHostedService<ReconciliationTimer>();
                services.AddHostedService<MonitoringTimer>();
            }

            if (options.Triggers != TriggerMode.None)
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

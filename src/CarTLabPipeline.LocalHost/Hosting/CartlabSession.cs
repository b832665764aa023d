using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// One <c>cartlab</c> run: starts Azurite when the connection is development storage and nothing listens (and MailDev
/// when the run sends, see <see cref="LocalServices"/>), provisions
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
    private readonly LocalServices _local;
    private readonly CancellationTokenSource _stopping = new();
    private IHost _host;
    private Task _supervisor = Task.CompletedTask;
    private int _restarts;

    private CartlabSession(SessionOptions options, IHost host, LocalServices local, StorageTarget target)
    {
        _options = options;
        _host = host;
        _local = local;
        Target = target;
    }

    /// <summary>The services of the running host (a restart after a storage outage replaces them).</summary>
    public IServiceProvider Services => Volatile.Read(ref _host).Services;

    /// <summary>How many times the triggers were restarted after a listener stopped.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>The storage this session runs on.</summary>
    public StorageTarget Target { get; }

    /// <summary>True when this session started Azurite itself.</summary>
    public bool StartedAzurite => _local.StartedAzurite;

    /// <summary>True when this session started MailDev itself.</summary>
    public bool StartedMailDev => _local.StartedMailDev;

    /// <summary>The MailDev web inbox when email goes to a local SMTP server, else null.</summary>
    public Uri? Inbox => _local.Inbox;

    /// <summary>What the session runs on, for people.</summary>
    public string Describe() => Target.Description;

    /// <summary>
    /// Starts a session: the local services it needs (local default only), its host, and — when it sends against anything
    /// but the local default — only with a real mail transport configured (<see cref="MailTransport"/>).
    /// </summary>
    /// <exception cref="PermanentPipelineException">The storage settings cannot work (bad connection string, no access, not signed in), or a sending command has no transport.</exception>
    /// <exception cref="TransientPipelineException">Storage did not answer within <see cref="ConnectTimeout"/>.</exception>
    public static async Task<CartlabSession> StartAsync(SessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var target = StorageTarget.Resolve(options);
        var local = new LocalServices();
        try
        {
            await local.StartAzuriteIfNeededAsync(options, target, cancellationToken).ConfigureAwait(false);
            var host = SessionHost.Build(options, target);
            var configuration = host.Services.GetRequiredService<IConfiguration>();
            if (options.Triggers.Sends() && !target.IsLocalDefault && MailTransport.Missing(configuration, target, options.WithoutEmail) is { } missing)
            {
                host.Dispose();
                throw new PermanentPipelineException(
                    $"{missing}: commands that send refuse to run against {target.Description} without a real transport (docs/deploy.md); nothing was sent.");
            }

            await local.StartMailDevIfNeededAsync(configuration, options, target, cancellationToken).ConfigureAwait(false);
            await ConnectAsync(host, target, cancellationToken).ConfigureAwait(false);
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            var session = new CartlabSession(options, host, local, target);
            if (options.Triggers != TriggerMode.None)
            {
                session._supervisor = Task.Run(session.SuperviseAsync, CancellationToken.None);
            }

            return session;
        }
        catch
        {
            await local.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>How long the first contact with storage (provisioning) may take before the command gives up as transient.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The first contact with storage, bounded by <see cref="ConnectTimeout"/>: provisions it, and says in one line why it cannot.</summary>
    private static async Task ConnectAsync(IHost host, StorageTarget target, CancellationToken cancellationToken)
    {
        StorageProvisioner provisioner;
        try
        {
            provisioner = host.Services.GetRequiredService<StorageProvisioner>();
        }
        catch (Exception ex) when (target.ConnectionString is not null && StorageFailures.TranslateConnectionString(ex) is { } translated)
        {
            host.Dispose();
            throw translated;
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(ConnectTimeout);
        try
        {
            await provisioner.ProvisionAsync(bounded.Token).WaitAsync(ConnectTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && StorageFailures.Translate(ex, target, ConnectTimeout) is { } translated)
        {
            host.Dispose();
            throw translated;
        }
    }

    /// <summary>
    /// Waits until no handler runs and the work queues this session's triggers empty (<see cref="TriggerModes.WorkQueues"/>)
    /// are empty on several consecutive checks (<see cref="PipelineIdleService"/>).
    /// </summary>
    /// <returns>False when <paramref name="timeout"/> passed first.</returns>
    public Task<bool> WaitUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var activity = Services.GetRequiredService<PipelineActivity>();
        return Services.GetRequiredService<PipelineIdleService>().WaitUntilIdleAsync(_options.Triggers.WorkQueues(), () => activity.Running, timeout, null, cancellationToken);
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
        await _local.DisposeAsync().ConfigureAwait(false);
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
                var next = SessionHost.Build(_options, Target);
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
}

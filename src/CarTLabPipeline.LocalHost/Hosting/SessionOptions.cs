using CarTLabPipeline.LocalHost.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>What a session needs to know.</summary>
public sealed record SessionOptions
{
    /// <summary>Storage connection string (<c>--storage</c>); null = <see cref="Account"/>, else the settings (see <see cref="StorageTarget"/>).</summary>
    public string? Storage { get; init; }

    /// <summary>A storage account reached signed in (<c>--account</c>); see <see cref="StorageTarget"/>.</summary>
    public string? Account { get; init; }

    public TriggerMode Triggers { get; init; } = TriggerMode.None;

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    /// <summary>
    /// The longest wait between two reads of an empty queue (the WebJobs SDK polls, halving the wait to its minimum when a
    /// read finds messages). A command that waits for its own work (<c>process</c>, <c>enroll</c>) keeps it short: 200 ms,
    /// a hop picked up within ~0.3 s (the SDK's 1 minute default made it 12.8 s). <c>serve</c>, which runs for days, uses
    /// <see cref="ServeQueuePolling"/>.
    /// </summary>
    public TimeSpan QueuePolling { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// <c>serve</c>'s <see cref="QueuePolling"/>: 1 s. An idle serve read its queues ~25 times a second at 200 ms, which cost it
    /// and Azurite a fifth of a core between them (measured: 3 s of CPU each 30 s, and 2 s of Azurite's); at 1 s a hop
    /// waits at most about a second more.
    /// </summary>
    public static readonly TimeSpan ServeQueuePolling = TimeSpan.FromSeconds(1);

    /// <summary><c>--verbose</c>: log entries carry their exception's stack trace (else one line each).</summary>
    public bool Verbose { get; init; }

    /// <summary>
    /// Accept <c>Email__Provider=None</c> against storage that is not the local default: alerts are then stored without
    /// email deliveries. For code that measures storage, not mail (the benchmarks); the command line never sets it.
    /// </summary>
    public bool WithoutEmail { get; init; }

    /// <summary>Extra configuration (tests).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where a started Azurite keeps its data; default <c>.local/azurite</c> in the repository.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Extra services (tests).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Web port of a MailDev this session starts (the SMTP port is <c>Smtp:Port</c>). Default 1080.</summary>
    public int MailDevWebPort { get; init; } = MailDev.DefaultWebPort;

    /// <summary>Where a started MailDev keeps the mails; default <c>.local/maildev</c> in the repository.</summary>
    public string? MailDirectory { get; init; }
}

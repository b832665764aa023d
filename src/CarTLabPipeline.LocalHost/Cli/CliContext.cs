using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>
/// What every command definition shares: the global options, the output, and how a command runs — a session started for
/// what the command needs, the command built from the session's services (its constructor says which), run, stopped.
/// </summary>
/// <param name="output">Where commands write.</param>
/// <param name="settings">Configuration over the environment's (tests); empty from the command line.</param>
internal sealed class CliContext(CliOutput output, IReadOnlyDictionary<string, string?> settings)
{
    public CliOutput Output => output;

    public Option<string?> Storage { get; } = new("--storage")
    {
        Description = "Storage connection string (default: $AzureWebJobsStorage, else UseDevelopmentStorage=true with Azurite started when needed)",
        Recursive = true,
    };

    public Option<string?> Account { get; } = new("--account")
    {
        Description = "Storage account name of a deployment, reached signed in (DefaultAzureCredential: az login); never starts Azurite or MailDev",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Log pipeline activity to stderr", Recursive = true };

    public GlobalOptions Global(ParseResult result) => new(result.GetValue(Storage), result.GetValue(Account), result.GetValue(Verbose), settings);

    /// <summary>A <c>--json</c> option with <paramref name="description"/>.</summary>
    public static Option<bool> Json(string description = "One JSON object per alert and line (docs/design.md §5)") => new("--json") { Description = description };

    /// <summary>Starts a session for <paramref name="triggers"/> with this output and the commands' helpers registered as services.</summary>
    public Task<CartlabSession> StartSessionAsync(ParseResult result, TriggerMode triggers, CancellationToken cancellationToken) =>
        StartSessionAsync(Global(result).Session(triggers), cancellationToken);

    public Task<CartlabSession> StartSessionAsync(SessionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configure = options.ConfigureServices;
        return CartlabSession.StartAsync(options with
        {
            ConfigureServices = services =>
            {
                services.AddSingleton(output);
                services.AddSingleton<IngestionReportPrinter>();
                services.AddSingleton<LabFileDrop>();
                services.AddSingleton<EnrollmentFiles>();
                services.AddSingleton<PipelineWait>();
                configure?.Invoke(services);
            },
        }, cancellationToken);
    }

    /// <summary>Runs <typeparamref name="TCommand"/> in a session for <paramref name="triggers"/>, then stops the session.</summary>
    public async Task<int> RunAsync<TCommand>(ParseResult result, TriggerMode triggers, Func<TCommand, CartlabSession, Task<int>> run, CancellationToken cancellationToken)
        where TCommand : class
    {
        ArgumentNullException.ThrowIfNull(run);
        var session = await StartSessionAsync(result, triggers, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            return await run(ActivatorUtilities.CreateInstance<TCommand>(session.Services), session).ConfigureAwait(false);
        }
    }
}

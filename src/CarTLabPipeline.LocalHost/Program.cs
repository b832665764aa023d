using System.CommandLine;
using CarTLabPipeline.LocalHost.Cli;
using CarTLabPipeline.LocalHost.Cli.Commands;
using CarTLabPipeline.LocalHost.Hosting;

namespace CarTLabPipeline.LocalHost;

/// <summary>The <c>cartlab</c> command line (docs/design.md §8).</summary>
public static class Program
{
    /// <summary>Exit code of a transient failure (EX_TEMPFAIL): the same command may work when run again.</summary>
    public const int TransientFailure = 75;

    /// <summary>Exit code of a failure the code did not expect (EX_SOFTWARE).</summary>
    public const int UnexpectedFailure = 70;

    /// <summary>Exit code after Ctrl+C (128 + SIGINT).</summary>
    public const int Cancelled = 130;

    /// <summary>Exit code of a command SIGTERM stopped (128 + 15), as a shell reports a process the signal ended.</summary>
    public const int Terminated = 143;

    public static async Task<int> Main(string[] args)
    {
        // SIGINT (Ctrl+C) and SIGTERM (docker stop, systemd, kill) both cancel the command's token: 'serve' stops its host
        // and the services it started, and exits 0. A second signal ends the process at once.
        using var shutdown = new ShutdownSignals();
        return await RunAsync(args, Console.Out, Console.Error, shutdown.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a command line. The one place a failure becomes what a person sees: one line on stderr (the stack trace too
    /// with <c>--verbose</c>) and an exit code — 1 for input that can never work (<see cref="PermanentPipelineException"/>,
    /// a missing file), <see cref="TransientFailure"/> for a failure worth retrying, <see cref="Cancelled"/> after Ctrl+C,
    /// <see cref="UnexpectedFailure"/> for anything else.
    /// </summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var parsed = BuildCommand(stdout, stderr, settings).Parse(args);
        if (parsed.Errors.Count > 0 && UnknownCommand(parsed) is { } unknown)
        {
            stderr.WriteLine($"cartlab: {unknown} ('cartlab --help' lists the commands)");
            return 1;
        }

        if (parsed.Errors.Count > 0)
        {
            // A command line that cannot be read: its first error in one line, and where the usage is.
            stderr.WriteLine($"cartlab: {OneLine(InWords(parsed.Errors[0].Message))} ('cartlab --help' shows the usage)");
            return 1;
        }

        try
        {
            var invocation = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,
                ProcessTerminationTimeout = null, // the signals are ShutdownSignals' (Main)
            };
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var (code, line) = Describe(ex);
            stderr.WriteLine($"cartlab: {line}");
            if (parsed.GetValue<bool>("--verbose"))
            {
                stderr.WriteLine(ex); // the stack only with --verbose
            }

            return code;
        }
    }

    /// <summary>The exit code and the one line said for a failure that reached the top.</summary>
    internal static (int Code, string Line) Describe(Exception failure) => failure switch
    {
        PermanentPipelineException or FileNotFoundException or DirectoryNotFoundException => (1, OneLine(failure.Message)),
        Microsoft.Extensions.Options.OptionsValidationException invalid => (1, SettingErrors.Describe(invalid)),
        InvalidOperationException binding when SettingErrors.Describe(binding) is { } setting => (1, setting),
        TransientPipelineException { RetryAfter: { } after } => (TransientFailure, $"{OneLine(failure.Message)} (transient: try again in {after.TotalSeconds:0} s)"),
        TransientPipelineException => (TransientFailure, $"{OneLine(failure.Message)} (transient: try again)"),
        OperationCanceledException when ShutdownSignals.Received == "SIGTERM" => (Terminated, "stopped (SIGTERM)"),
        OperationCanceledException => (Cancelled, "cancelled"),
        _ => (UnexpectedFailure, $"{failure.GetType().Name}: {OneLine(failure.Message)} (--verbose prints the stack trace)"),
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>The parser's "as expected type 'System.Nullable`1[System.Int32]'" as "as a whole number".</summary>
    private static string InWords(string parseError) =>
        System.Text.RegularExpressions.Regex.Replace(parseError, @"as expected type '(?<type>[^']+)'", m => "as " + Alerts.PipelineJson.TypeInWords(m.Groups["type"].Value),
            System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>
    /// "'stauts' is not a cartlab command; did you mean 'status'?" when the first word the parser could not place names no
    /// command of the command line it stopped at (the parser would only say "Required command was not provided"); else null.
    /// </summary>
    internal static string? UnknownCommand(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        if (command.Subcommands.Count == 0 || parsed.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) is not { } word)
        {
            return null;
        }

        var path = command is RootCommand ? "cartlab" : $"cartlab {command.Name}";
        var nearest = command.Subcommands
            .Select(c => (c.Name, Distance: EditDistance(word.ToLowerInvariant(), c.Name)))
            .Where(c => c.Distance <= Math.Max(2, c.Name.Length / 3) || c.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();
        return nearest is null ? $"'{word}' is not a {path} command" : $"'{word}' is not a {path} command; did you mean '{nearest}'?";
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions).</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <param name="stdout">Results.</param>
    /// <param name="stderr">Diagnostics.</param>
    /// <param name="settings">Configuration over the environment's (tests: a transport, a MailDev on free ports).</param>
    internal static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var cli = new CliContext(new CliOutput(stdout, stderr), settings ?? new Dictionary<string, string?>());
        var root = new RootCommand("cartlab — the CarTLabPipeline local host and ops tool: lab results in, explained CAR-T follow-up alerts out.")
        {
            cli.Storage,
            cli.Account,
            cli.Verbose,
        };
        foreach (var command in new[]
        {
            DemoCommand.Define(cli), ServeCommand.Define(cli), EnrollCommand.Define(cli), EventAddCommand.Define(cli), DropCommand.Define(cli),
            ProcessCommand.Define(cli), AlertsCommand.Define(cli), RejectedCommand.Define(cli), MonitorCommand.Define(cli), EvaluateCommand.Define(cli),
            ReplayCommand.Define(cli), TimelineCommand.Define(cli), ResultsCommand.Define(cli), ScheduleCommand.Define(cli), RedeliverCommand.Define(cli),
            StatusCommand.Define(cli),
        })
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}

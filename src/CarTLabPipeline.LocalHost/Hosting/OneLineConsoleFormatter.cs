using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// <c>HH:mm:ss level: Category[event] message</c>, one line per entry: an exception adds its type and first line (a
/// failed delivery is one line, not 3,000 characters of stack); with <c>--verbose</c> the whole exception follows.
/// </summary>
internal sealed class OneLineConsoleFormatter(IOptionsMonitor<OneLineFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "cartlab";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        var exception = logEntry.Exception;
        if (Stopped(exception) is { } stopped)
        {
            // The WebJobs host logs a trigger the stop cancelled as a failure, twice (Function.X and Host.Results): it is
            // not one (nothing is lost), so one information line says what happened.
            if (logEntry.Category.StartsWith("Function.", StringComparison.Ordinal))
            {
                textWriter.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{TimeProvider.System.GetLocalNow():HH:mm:ss} info: {logEntry.Category}[{logEntry.EventId.Id}] {stopped.Message}"));
            }

            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture,
            $"{TimeProvider.System.GetLocalNow():HH:mm:ss} {Level(logEntry.LogLevel)}: {logEntry.Category}[{logEntry.EventId.Id}] {OneLine(message ?? string.Empty)}");
        var verbose = options.CurrentValue.ShowStackTraces;
        if (exception is not null && !verbose)
        {
            line += $" ({exception.GetType().Name}: {OneLine(FirstLine(exception.Message))})";
        }

        textWriter.WriteLine(line);
        if (exception is not null && verbose)
        {
            textWriter.WriteLine(exception.ToString());
        }
    }

    private static StoppedByShutdownException? Stopped(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StoppedByShutdownException stopped)
            {
                return stopped;
            }
        }

        return null;
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString(),
    };

    private static string FirstLine(string text)
    {
        var first = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? string.Empty;
        return first.Length > 300 ? first[..300] + "…" : first;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}

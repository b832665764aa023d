using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>How a session logs: one line per entry on stderr (<see cref="OneLineConsoleFormatter"/>), the SDKs' expected noise filtered out.</summary>
internal static class SessionLogging
{
    /// <param name="logging">The host's logging.</param>
    /// <param name="level">The lowest level written.</param>
    /// <param name="stackTraces">With <c>--verbose</c>: exceptions written whole; else one line per entry.</param>
    public static void Configure(ILoggingBuilder logging, LogLevel level, bool stackTraces)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.FormatterName = OneLineConsoleFormatter.Name);
        logging.AddConsoleFormatter<OneLineConsoleFormatter, OneLineFormatterOptions>(o => o.ShowStackTraces = stackTraces);
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(level);
        // Every expected 404 (queues not created yet, blob receipts) is a warning there.
        logging.AddFilter("Azure.Core", LogLevel.Error);
        logging.AddFilter("Azure.Messaging", LogLevel.Error);
        logging.AddFilter("Host", level <= LogLevel.Debug ? LogLevel.Information : LogLevel.Warning);
        logging.AddFilter("Function", level <= LogLevel.Debug ? LogLevel.Information : LogLevel.Warning);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        // A host that fails to start (e.g. a setting that fails validation) is said once, in one line, by the CLI
        // (Program.Describe); the host's own log of it is a stack trace, kept for --verbose.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level <= LogLevel.Information ? LogLevel.Information : LogLevel.None);
    }
}

using Microsoft.Extensions.Logging.Console;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>Options of <see cref="OneLineConsoleFormatter"/>.</summary>
public sealed class OneLineFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>With <c>--verbose</c>: an entry's exception is written whole (with its stack) under the line.</summary>
    public bool ShowStackTraces { get; set; }
}

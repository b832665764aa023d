using CarTLabPipeline.LocalHost.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Options every command takes.</summary>
internal sealed record GlobalOptions(string? Storage, bool Verbose)
{
    public SessionOptions Session(TriggerMode triggers) => new()
    {
        Storage = Storage,
        Triggers = triggers,
        LogLevel = Verbose ? LogLevel.Information : LogLevel.Warning,
    };
}

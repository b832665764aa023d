using CarTLabPipeline.LocalHost.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Options every command takes.</summary>
internal sealed record GlobalOptions(string? Storage, string? Account, bool Verbose, IReadOnlyDictionary<string, string?> Settings)
{
    public SessionOptions Session(TriggerMode triggers) => new()
    {
        Storage = Storage,
        Account = Account,
        Settings = Settings,
        Triggers = triggers,
        LogLevel = Verbose ? LogLevel.Information : LogLevel.Warning,
        Verbose = Verbose,
    };
}

using System.Globalization;
using System.Text.RegularExpressions;
using CarTLabPipeline.Adapters;
using CarTLabPipeline.LocalHost.Local;
using Microsoft.Extensions.Configuration;

namespace CarTLabPipeline.LocalHost.Hosting;

/// <summary>
/// Where a session's storage is, from (first that is set) <c>--storage</c>, <c>--account</c>, the
/// <c>AzureWebJobsStorage</c> connection string, the identity-based <c>AzureWebJobsStorage__blobServiceUri</c> /
/// <c>__queueServiceUri</c> / <c>__tableServiceUri</c> or <c>__accountName</c> settings, else the local default
/// (<c>UseDevelopmentStorage=true</c>). An account name or service URIs are reached signed in, with
/// <c>DefaultAzureCredential</c> (Azure CLI, environment, managed identity…): shared keys may be off.
/// </summary>
public sealed partial record StorageTarget
{
    /// <summary>The settings that point the session's clients and triggers at this storage (added over every other source).</summary>
    public required IReadOnlyDictionary<string, string?> Settings { get; init; }

    /// <summary>For people: "local Azurite (development storage)", "storage account stcartlab…", …</summary>
    public required string Description { get; init; }

    /// <summary>
    /// True for <c>UseDevelopmentStorage=true</c> and connection strings to Azurite's default ports: the only target for
    /// which <c>cartlab</c> starts Azurite or MailDev, or falls back on its local defaults (<see cref="LocalDefaults"/>).
    /// </summary>
    public bool IsLocalDefault { get; init; }

    /// <summary>True when reached with a signed-in identity (an Azure account), not a connection string.</summary>
    public bool SignedIn { get; init; }

    /// <summary>The connection string, when the target is one.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The target of a session.</summary>
    /// <exception cref="PermanentPipelineException">Both <c>--storage</c> and <c>--account</c>, or an account name that cannot be one.</exception>
    public static StorageTarget Resolve(SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(options.Settings).Build();
        var section = configuration.GetSection(SettingNames.StorageConnection);
        if (options.Storage is not null && options.Account is not null)
        {
            throw new PermanentPipelineException("--storage and --account both name the storage: pass one of them.");
        }

        if (options.Storage is { } storage)
        {
            return FromConnectionString(storage);
        }

        if (options.Account is { } account)
        {
            return FromAccount(account, "--account");
        }

        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return FromConnectionString(section.Value);
        }

        if (section["blobServiceUri"] is { } blob && section["queueServiceUri"] is { } queue && section["tableServiceUri"] is { } table)
        {
            return new StorageTarget
            {
                Settings = ServiceUris(blob, queue, table),
                Description = $"the storage account at {blob} (signed in)",
                SignedIn = true,
            };
        }

        if (section["accountName"] is { } name)
        {
            return FromAccount(name, $"{SettingNames.StorageConnection}__accountName");
        }

        return FromConnectionString(SettingNames.DevelopmentStorage);
    }

    private static StorageTarget FromConnectionString(string connectionString) => new()
    {
        Settings = new Dictionary<string, string?> { [SettingNames.StorageConnection] = connectionString },
        Description = Azurite.IsDevelopmentStorage(connectionString) ? "local Azurite (development storage)" : "the storage account of the connection string",
        IsLocalDefault = Azurite.IsDevelopmentStorage(connectionString),
        ConnectionString = connectionString,
    };

    private static StorageTarget FromAccount(string name, string setting)
    {
        if (!AccountName().IsMatch(name))
        {
            throw new PermanentPipelineException(
                $"{setting} '{name}' is not a storage account name: 3 to 24 lowercase letters and digits (e.g. the 'st…' account of the deployment).");
        }

        return new StorageTarget
        {
            Settings = ServiceUris(Endpoint(name, "blob"), Endpoint(name, "queue"), Endpoint(name, "table")),
            Description = $"storage account {name} (signed in)",
            SignedIn = true,
        };
    }

    private static string Endpoint(string account, string service) => string.Create(CultureInfo.InvariantCulture, $"https://{account}.{service}.core.windows.net");

    /// <summary>The identity-based connection (the storage clients and the WebJobs triggers read the same names); no connection string.</summary>
    private static Dictionary<string, string?> ServiceUris(string blob, string queue, string table) => new()
    {
        [SettingNames.StorageConnection] = null,
        [$"{SettingNames.StorageConnection}:blobServiceUri"] = blob,
        [$"{SettingNames.StorageConnection}:queueServiceUri"] = queue,
        [$"{SettingNames.StorageConnection}:tableServiceUri"] = table,
    };

    [GeneratedRegex("^[a-z0-9]{3,24}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountName();
}

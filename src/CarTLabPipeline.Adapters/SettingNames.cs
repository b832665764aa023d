namespace CarTLabPipeline.Adapters;

/// <summary>
/// The configuration setting names the adapters and hosts read (environment variables use <c>__</c> for <c>:</c>). Cloud
/// settings belong here, not in Core: the domain needs none of them.
/// </summary>
public static class SettingNames
{
    public const string StorageConnection = "AzureWebJobsStorage";
    public const string ServiceBusConnection = "ServiceBus";
    public const string ServiceBusNamespace = "ServiceBus:fullyQualifiedNamespace";

    /// <summary>Alternative to the namespace: a connection string (development namespaces, the opt-in live test).</summary>
    public const string ServiceBusConnectionString = "ServiceBus:ConnectionString";

    public const string EmailProvider = "Email:Provider";
    public const string SendGridApiKey = "SendGrid:ApiKey";
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";
}

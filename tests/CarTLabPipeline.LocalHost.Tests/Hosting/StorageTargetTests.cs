using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.LocalHost.Local;
using Microsoft.Extensions.Configuration;

namespace CarTLabPipeline.LocalHost.Tests.Hosting;

/// <summary>Where <c>cartlab</c> goes, and when it may send: only the local default gets local services and defaults.</summary>
public class StorageTargetTests
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Resolve_Account_IsTheThreeServiceUris_SignedIn_NotTheLocalDefault()
    {
        var target = StorageTarget.Resolve(new SessionOptions { Account = "stcartlabdev42" });

        Assert.Equal((false, true, null), (target.IsLocalDefault, target.SignedIn, target.ConnectionString));
        Assert.Equal("https://stcartlabdev42.queue.core.windows.net", target.Settings["AzureWebJobsStorage:queueServiceUri"]);
        Assert.Equal("https://stcartlabdev42.table.core.windows.net", target.Settings["AzureWebJobsStorage:tableServiceUri"]);
        Assert.Null(target.Settings["AzureWebJobsStorage"]); // a connection string in the environment does not win over --account
    }

    [Fact]
    public void Resolve_AccountNameSetting_WhenNoOptionIsGiven()
    {
        var target = StorageTarget.Resolve(new SessionOptions { Settings = new Dictionary<string, string?> { ["AzureWebJobsStorage:accountName"] = "stops1" } });

        Assert.Equal("https://stops1.blob.core.windows.net", target.Settings["AzureWebJobsStorage:blobServiceUri"]);
        Assert.True(target.SignedIn);
    }

    [Fact]
    public void Resolve_ConnectionString_IsTheLocalDefaultOnlyOnAzuritesDefaultPorts()
    {
        // Connection strings only (nothing listens): Azurite's default ports by its constants, other ports as a test takes them.
        var defaults = Azurite.ConnectionString(Azurite.DefaultBlobPort, Azurite.DefaultQueuePort, Azurite.DefaultTablePort);
        var elsewhere = Azurite.ConnectionString(Azurite.DefaultBlobPort + 11000, Azurite.DefaultQueuePort + 11000, Azurite.DefaultTablePort + 11000);

        Assert.True(StorageTarget.Resolve(new SessionOptions { Storage = "UseDevelopmentStorage=true" }).IsLocalDefault);
        Assert.True(StorageTarget.Resolve(new SessionOptions { Storage = defaults }).IsLocalDefault);
        Assert.False(StorageTarget.Resolve(new SessionOptions { Storage = elsewhere }).IsLocalDefault);
    }

    [Theory]
    [InlineData("StCartlab", "--account 'StCartlab' is not a storage account name")]
    [InlineData("st-cartlab", "--account 'st-cartlab' is not a storage account name")]
    public void Resolve_BadAccountName_SaysWhichAndWhy(string account, string expected)
    {
        var error = Assert.Throws<PermanentPipelineException>(() => StorageTarget.Resolve(new SessionOptions { Account = account }));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_StorageAndAccount_IsRefused()
    {
        Assert.Throws<PermanentPipelineException>(() => StorageTarget.Resolve(new SessionOptions { Storage = "UseDevelopmentStorage=true", Account = "stx1" }));
    }

    [Fact]
    public void MailTransportMissing_NamesTheSettingToSet()
    {
        var connection = StorageTarget.Resolve(new SessionOptions { Storage = "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k" });
        var azure = StorageTarget.Resolve(new SessionOptions { Account = "stcartlab1" });

        Assert.StartsWith("Email__Provider is not set", MailTransport.Missing(Config(), connection), StringComparison.Ordinal);
        Assert.StartsWith("Email__Provider is not set", MailTransport.Missing(Config(("Email:Provider", " ")), connection), StringComparison.Ordinal);
        Assert.StartsWith("Email__Provider is 'Smpt', which is no transport", MailTransport.Missing(Config(("Email:Provider", "Smpt")), connection), StringComparison.Ordinal);
        Assert.StartsWith("Smtp__Host (Smtp:Host) is required with Email__Provider=Smtp", MailTransport.Missing(Config(("Email:Provider", "Smtp")), connection), StringComparison.Ordinal);
        Assert.StartsWith("SendGrid__ApiKey (SendGrid:ApiKey) is required with Email__Provider=SendGrid", MailTransport.Missing(Config(("Email:Provider", "SendGrid")), connection), StringComparison.Ordinal);
        Assert.Null(MailTransport.Missing(Config(("Email:Provider", "SendGrid"), ("SendGrid:ApiKey", "SG.x"), ("Email:From", "alerts@hospital.example"), ("Email:OnCall", "oncall@hospital.example"), ("Email:Ops", "ops@hospital.example")), connection));
        // No recipient list defaults away from the local default: an ops alert would otherwise be stored with no email (ops trial).
        Assert.Equal("Email__From is not set (the sender address, as the app has it); Email__OnCall is not set (who also receives critical alerts, as the app has it); " +
            "Email__Ops is not set (who receives the ops alerts, as the app has it)",
            MailTransport.Missing(Config(("Email:Provider", "SendGrid"), ("SendGrid:ApiKey", "SG.x")), connection));
        // None would store the alerts without email deliveries: nobody would ever email them (ops trial). Code that measures
        // storage only says so explicitly.
        Assert.StartsWith("Email__Provider is None, and alerts this command raises would then have no email delivery", MailTransport.Missing(Config(("Email:Provider", "None")), connection), StringComparison.Ordinal);
        Assert.Null(MailTransport.Missing(Config(("Email:Provider", "None")), connection, withoutEmail: true));
        Assert.StartsWith("ServiceBus__fullyQualifiedNamespace is not set",
            MailTransport.Missing(Config(("Email:Provider", "SendGrid"), ("SendGrid:ApiKey", "SG.x"), ("Email:From", "alerts@hospital.example"), ("Email:OnCall", "oncall@hospital.example"), ("Email:Ops", "ops@hospital.example")), azure), StringComparison.Ordinal);
        Assert.Null(MailTransport.Missing(Config(("Email:Provider", "SendGrid"), ("SendGrid:ApiKey", "SG.x"), ("ServiceBus:fullyQualifiedNamespace", "sb.example"), ("Email:From", "alerts@hospital.example"), ("Email:OnCall", "oncall@hospital.example"), ("Email:Ops", "ops@hospital.example")), azure));
        // One run names everything missing (an ops trial met them one run at a time).
        Assert.StartsWith("Smtp__Port (Smtp:Port) must be a port number", MailTransport.Missing(Config(("Email:Provider", "Smtp"), ("Smtp:Host", "relay.example"), ("Smtp:Port", "0")), connection),
            StringComparison.Ordinal);
        Assert.Equal("Smtp__Host (Smtp:Host) is required with Email__Provider=Smtp: the SMTP relay's host name; " +
            "Smtp__Port (Smtp:Port) is required with Email__Provider=Smtp: 587 (STARTTLS), 465 (TLS) or 25; " +
            "Email__From is not set (the sender address, as the app has it); Email__OnCall is not set (who also receives critical alerts, as the app has it); " +
            "Email__Ops is not set (who receives the ops alerts, as the app has it); " +
            "ServiceBus__fullyQualifiedNamespace is not set (the deployment's alert events go to its Service Bus topic)",
            MailTransport.Missing(Config(("Email:Provider", "Smtp")), azure));
    }
}

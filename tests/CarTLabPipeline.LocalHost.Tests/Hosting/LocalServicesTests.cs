using CarTLabPipeline.LocalHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace CarTLabPipeline.LocalHost.Tests.Hosting;

/// <summary>MailDev is started only by a command that sends, on the local default (decided without starting anything here).</summary>
public class LocalServicesTests
{
    private static readonly StorageTarget s_localDefault = StorageTarget.Resolve(new SessionOptions { Storage = "UseDevelopmentStorage=true" });

    private static IConfiguration SmtpOnLoopback(int port) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Email:Provider"] = "Smtp",
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }).Build();

    [Theory]
    [InlineData(TriggerMode.None)]
    [InlineData(TriggerMode.Evaluation)]
    public async Task StartMailDev_CommandThatDoesNotSend_NeitherStartsNorShowsAnInbox(TriggerMode triggers)
    {
        await using var local = new LocalServices();

        await local.StartMailDevIfNeededAsync(SmtpOnLoopback(1), new SessionOptions { Triggers = triggers }, s_localDefault, default);

        Assert.Equal((false, null), (local.StartedMailDev, local.Inbox));
    }

    [Fact]
    public async Task StartMailDev_RemoteStorage_NeverStartsIt_EvenForServe()
    {
        await using var local = new LocalServices();
        var remote = StorageTarget.Resolve(new SessionOptions { Storage = "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k" });

        await local.StartMailDevIfNeededAsync(SmtpOnLoopback(1), new SessionOptions { Triggers = TriggerMode.All }, remote, default);

        Assert.Equal((false, null), (local.StartedMailDev, local.Inbox));
    }
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.LocalHost.Local;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>
/// <c>cartlab</c> against a storage account that is not the local default (here a second Azurite, started by the test on
/// free ports and passed as a connection string): it starts nothing of its own and never sends to a stand-in. Outside
/// <see cref="CartlabCollection"/>: it uses none of its services, so it runs beside the collection's tests.
/// </summary>
[Trait("Category", "Integration")]
public class RemoteStorageTests
{
    [Fact]
    public async Task Redeliver_RemoteAccountWithoutEmailSettings_RefusesSendsNothingAndLeavesTheDeliveriesAsTheyWere()
    {
        var ports = LocalNodeService.FreePorts(3);
        await using var remote = await Azurite.StartAsync(ports[0], ports[1], ports[2], location: null, CancellationToken.None);
        var connection = Azurite.ConnectionString(ports[0], ports[1], ports[2]);
        var alert = ContractData.Alert(ContractData.Unique("PT-REMOTE"));
        var failed = ContractData.Deliveries("dr.remote@hospital.example").Values
            .Select(d => d with { State = DeliveryState.Failed, Attempts = 5, LastError = "550 mailbox unavailable" })
            .ToDictionary(d => d.Key, StringComparer.Ordinal);
        await using (var setup = await CartlabSession.StartAsync(new SessionOptions { Storage = connection }, default))
        {
            Assert.True(await setup.Services.GetRequiredService<IAlertStore>().TryAddAsync(alert, failed, default));
        }

        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = await Program.RunAsync(["redeliver", alert.AlertId, "--storage", connection], stdout, stderr);

        Assert.Equal(1, code);
        Assert.Equal("cartlab: Email__Provider is not set (SendGrid with SendGrid__ApiKey, or Smtp with Smtp__Host and Smtp__Port): commands that send refuse to run against " +
            "the storage account of the connection string without a real transport (docs/deploy.md); nothing was sent.", stderr.ToString().Trim());
        await using var check = await CartlabSession.StartAsync(new SessionOptions { Storage = connection }, default);
        var row = await check.Services.GetRequiredService<IAlertStore>().FindAsync(alert.AlertId, default);
        Assert.Equal(failed.Values.Select(d => (d.Key, d.State, d.Attempts, d.LastError)).Order(),
            row!.Deliveries.Values.Select(d => (d.Key, d.State, d.Attempts, d.LastError)).Order());
        var notifications = await check.Services.GetRequiredService<IPipelineMonitor>().GetQueueStatusAsync(PipelineNames.Queues.AlertNotifications, false, default);
        Assert.Equal(0, notifications.Depth);
        Assert.False(check.StartedAzurite || check.StartedMailDev);
    }
}

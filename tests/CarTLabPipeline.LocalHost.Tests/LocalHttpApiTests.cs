using System.Net;
using System.Text.Json;
using CarTLabPipeline.Http;
using CarTLabPipeline.LocalHost.Hosting;

namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>What <c>cartlab serve</c> adds to a session: the HTTP API on loopback with the development identity.</summary>
[Trait("Category", "Integration")]
[Collection(CartlabCollection.Name)]
public class LocalHttpApiTests(CartlabFixture azurite)
{
    [Fact]
    public async Task Serve_ServesTheApiOnLoopback_WithTheDevelopmentIdentity()
    {
        await using var session = await CartlabSession.StartAsync(new SessionOptions
        {
            Storage = azurite.ConnectionString,
            Settings = new Dictionary<string, string?> { ["Email:Provider"] = "None", ["Http:Port"] = "0" },
        }, default);
        await using var http = await LocalHttpApi.StartAsync(session, default);
        using var client = new HttpClient { BaseAddress = http.Address };

        var health = await client.GetAsync("api/health");
        var me = JsonDocument.Parse(await client.GetStringAsync("api/me")).RootElement;
        var alerts = await client.GetAsync("api/alerts?status=open");

        Assert.Equal("127.0.0.1", http.Address.Host);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (health.StatusCode, alerts.StatusCode));
        Assert.True(me.GetProperty("development").GetBoolean());
    }

    [Fact]
    public async Task Serve_PortTaken_SaysWhichSettingMovesIt()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var session = await CartlabSession.StartAsync(new SessionOptions
        {
            Storage = azurite.ConnectionString,
            Settings = new Dictionary<string, string?> { ["Email:Provider"] = "None", ["Http:Port"] = port.ToString() },
        }, default);

        var failure = await Assert.ThrowsAsync<PermanentPipelineException>(() => LocalHttpApi.StartAsync(session, default));

        Assert.Contains("Http__Port", failure.Message);
    }
}

using System.Diagnostics;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.LocalHost.Local;

namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>
/// <c>cartlab</c> against a storage account nothing answers for: one line saying so within 10 s, exit code 75 (try again
/// later). Outside <see cref="CartlabCollection"/>: it needs none of its services, and its 10 s of waiting for the account
/// then run beside the collection's tests instead of after them.
/// </summary>
[Trait("Category", "Integration")]
public class UnreachableStorageTests
{
    [Fact]
    public async Task UnreachableAccount_Within10Seconds_Exit75()
    {
        var closed = LocalNodeService.FreePorts(4);
        var settings = CartlabFixture.SettingsFor(closed[3]); // a relay nobody listens on: status sends nothing
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var clock = Stopwatch.StartNew();

        var code = await Program.RunAsync(["status", "--storage", Azurite.ConnectionString(closed[0], closed[1], closed[2])], stdout, stderr, default, settings);

        Assert.Equal(75, code);
        // The command's 10 s bound on its first contact with storage (CartlabSession.ConnectTimeout), plus its start-up: 1-3 s
        // on a quiet machine, up to 14 s when it started beside the whole suite (one run took 24 s in all). The message says
        // which of the two the command hit; either way it says the account is not answering, not the SDK's retry summary.
        Assert.True(clock.Elapsed < CartlabSession.ConnectTimeout + TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        var text = stderr.ToString();
        Assert.StartsWith("cartlab: the storage account of the connection string ", CliErrorTests.OneLine(text), StringComparison.Ordinal);
        Assert.Contains("is it running, and reachable from here?", text, StringComparison.Ordinal); // the cause, not the SDK's retry summary
        Assert.DoesNotContain("Retry failed", text, StringComparison.Ordinal);
    }
}

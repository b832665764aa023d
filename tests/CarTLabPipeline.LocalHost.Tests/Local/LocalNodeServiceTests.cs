using CarTLabPipeline.LocalHost.Local;

namespace CarTLabPipeline.LocalHost.Tests.Local;

public class LocalNodeServiceTests
{
    [Fact]
    public void FreePorts_AzuriteGotTheSamePortTwice_PortsAreNowReservedTogetherAndDistinct()
    {
        for (var i = 0; i < 200; i++)
        {
            var ports = LocalNodeService.FreePorts(3);

            Assert.Equal(3, ports.Distinct().Count());
        }
    }

    [Fact]
    public void FreePorts_AFaultRunsAzuriteFoundItsPortTakenByAClientSocket_PortsAreBelowTheEphemeralRange_AndNeverHandedOutTwice()
    {
        var handedOut = Enumerable.Range(0, 100).SelectMany(_ => LocalNodeService.FreePorts(5)).ToList();

        Assert.Equal(handedOut.Count, handedOut.Distinct().Count());
        if (OperatingSystem.IsLinux())
        {
            var ephemeralLow = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' '])[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.All(handedOut, port => Assert.InRange(port, 20_000, ephemeralLow - 1));
        }
    }

    [Fact]
    public void IsListening_WhileTheThreadPoolIsStarved_StillSeesTheListener_AndNotAClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var release = new ManualResetEventSlim(); // not disposed: queued items may still start after the test
        ThreadPool.GetMinThreads(out var workers, out _);
        for (var i = 0; i < workers * 4; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => release.Wait(TimeSpan.FromSeconds(10)), null);
        }

        try
        {
            // A busy machine, as the tests saw it: no pool thread free to complete an async connect.
            bool listening = false, closed = true;
            var probe = new Thread(() =>
            {
                listening = LocalNodeService.IsListening(port);
                listener.Stop();
                closed = LocalNodeService.IsListening(port);
            });
            probe.Start();
            probe.Join();

            Assert.True(listening, "a listening port looked closed");
            Assert.False(closed, "a closed port looked open");
        }
        finally
        {
            release.Set();
            listener.Stop();
        }
    }
}

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
}

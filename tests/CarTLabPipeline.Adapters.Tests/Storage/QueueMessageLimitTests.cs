using Azure;
using CarTLabPipeline.Adapters.Tests.Contracts;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Adapters.Tests.Storage;

/// <summary>
/// A result message over 64 KB (docs/reliability.md, bad input): Azure Queue Storage refuses it to the sender — the one who
/// can fix it learns at once — and nothing reaches the pipeline. Measured on Azurite, which enforces the same limit.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteCollection.Name)]
public class QueueMessageLimitTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task InboundMessageOver64KB_IsRefusedToTheSender_WithRequestBodyTooLarge_AndNothingIsQueued()
    {
        var clients = await AzuriteStorage.ClientsAsync(azurite);
        var queue = clients.Queues.GetQueueClient($"limit-{Guid.NewGuid():N}"[..20]);
        await queue.CreateAsync();
        var json = $$"""{"patientId":"PT-BIG-1","analyte":"igg","value":"250","unit":"mg/dL","comment":"{{new string('x', 70_000)}}"}""";

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => queue.SendMessageAsync(json));

        Assert.Equal(413, refused.Status);
        Assert.Equal("RequestBodyTooLarge", refused.ErrorCode);
        Assert.Empty((await queue.PeekMessagesAsync(32)).Value);
        await queue.DeleteAsync();
    }
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;
using static CarTLabPipeline.Testing.Contracts.ContractData;

namespace CarTLabPipeline.Testing.Contracts;

/// <summary>What every <see cref="IPipelineQueue"/> does: JSON bodies, visibility delays in whole seconds, queues apart.</summary>
public abstract class PipelineQueueContract : IAsyncLifetime
{
    protected IPipelineQueue Queue { get; private set; } = null!;

    /// <summary>Two queues of the test's own.</summary>
    protected string QueueA { get; } = Unique("qa");

    protected string QueueB { get; } = Unique("qb");

    /// <summary>The queue port under test, with <see cref="QueueA"/> and <see cref="QueueB"/> existing.</summary>
    protected abstract Task<IPipelineQueue> CreateQueueAsync(IReadOnlyList<string> queueNames);

    /// <summary>The bodies of the messages visible now on <paramref name="queueName"/>, taken off the queue.</summary>
    protected abstract Task<IReadOnlyList<string>> ReceiveAsync(string queueName);

    /// <summary>Lets <paramref name="duration"/> pass (a fake clock moves; a real queue is waited for).</summary>
    protected abstract Task WaitAsync(TimeSpan duration);

    public async Task InitializeAsync() => Queue = await CreateQueueAsync([QueueA, QueueB]);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Send_WithoutDelay_IsVisibleAtOnce_AsThePipelinesJson()
    {
        var request = new EvaluationRequest("PT-1", EvaluationRequest.ReasonResults);

        await Queue.SendAsync(QueueA, request, null, CancellationToken.None);

        var body = Assert.Single(await ReceiveAsync(QueueA));
        Assert.Equal("""{"patientId":"PT-1","reason":"results"}""", body);
        Assert.Equal(request, PipelineJson.Deserialize<EvaluationRequest>(body));
    }

    [Fact]
    public async Task DeleteWhere_DeletesTheMatchingMessages_AndLeavesTheOthersVisible_OnlyOnItsQueue()
    {
        for (var i = 0; i < 40; i++)
        {
            await Queue.SendAsync(QueueA, new { alertId = i % 4 == 0 ? "A-1" : $"B-{i}" }, null, CancellationToken.None);
        }

        await Queue.SendAsync(QueueB, new { alertId = "A-1" }, null, CancellationToken.None);

        var deleted = await Queue.DeleteWhereAsync(QueueA, body => body.Contains("\"A-1\"", StringComparison.Ordinal), CancellationToken.None);
        var missing = await Queue.DeleteWhereAsync(Unique("none"), _ => true, CancellationToken.None);

        Assert.Equal((10, 0), (deleted, missing));
        var left = await ReceiveAsync(QueueA);
        Assert.Equal(30, left.Count);
        Assert.DoesNotContain(left, b => b.Contains("\"A-1\"", StringComparison.Ordinal));
        Assert.Single(await ReceiveAsync(QueueB));
    }

    [Fact]
    public async Task Receive_TakesEachMessageOnce()
    {
        await Queue.SendAsync(QueueA, new NotificationRequest("alert-1", "PT-1"), null, CancellationToken.None);
        await Queue.SendAsync(QueueA, new NotificationRequest("alert-2", null), TimeSpan.Zero, CancellationToken.None);

        var bodies = await ReceiveAsync(QueueA);

        Assert.Equal(["alert-1", "alert-2"], bodies.Select(b => PipelineJson.Deserialize<NotificationRequest>(b)!.AlertId).Order(StringComparer.Ordinal));
        Assert.Empty(await ReceiveAsync(QueueA));
    }

    [Fact]
    public async Task Send_WithADelay_IsInvisibleUntilTheDelayHasPassed()
    {
        await Queue.SendAsync(QueueA, new NotificationRequest("alert-1", "PT-1"), TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Empty(await ReceiveAsync(QueueA));
        await WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Single(await ReceiveAsync(QueueA));
    }

    [Fact]
    public async Task Send_WithAFractionalDelay_CountsWholeSeconds()
    {
        // The client sends the visibility timeout as (int)TotalSeconds: 1.9 s is 1 s.
        await Queue.SendAsync(QueueA, new NotificationRequest("alert-1", "PT-1"), TimeSpan.FromSeconds(1.9), CancellationToken.None);

        await WaitAsync(TimeSpan.FromSeconds(1.5));

        Assert.Single(await ReceiveAsync(QueueA));
    }

    [Fact]
    public async Task Send_WithADelayOverSevenDays_IsRefused()
    {
        await Assert.ThrowsAnyAsync<Exception>(() =>
            Queue.SendAsync(QueueA, new NotificationRequest("alert-1", "PT-1"), TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Empty(await ReceiveAsync(QueueA));
    }

    [Fact]
    public async Task Send_WithANegativeDelay_IsRefused()
    {
        await Assert.ThrowsAnyAsync<Exception>(() =>
            Queue.SendAsync(QueueA, new NotificationRequest("alert-1", "PT-1"), TimeSpan.FromSeconds(-1), CancellationToken.None));
    }

    [Fact]
    public async Task Send_AMessageOver64KiBAsBase64_IsRefused()
    {
        var large = new PoisonedMessageBody(new string('x', 50_000));

        await Assert.ThrowsAnyAsync<Exception>(() => Queue.SendAsync(QueueA, large, null, CancellationToken.None));

        Assert.Empty(await ReceiveAsync(QueueA));
    }

    [Fact]
    public async Task Send_AMessageJustUnderTheLimit_IsAccepted()
    {
        await Queue.SendAsync(QueueA, new PoisonedMessageBody(new string('x', 48_000)), null, CancellationToken.None);

        Assert.Single(await ReceiveAsync(QueueA));
    }

    [Fact]
    public async Task Queues_AreApart()
    {
        await Queue.SendAsync(QueueA, new EvaluationRequest("PT-1", EvaluationRequest.ReasonEnrollment), null, CancellationToken.None);

        Assert.Empty(await ReceiveAsync(QueueB));
        Assert.Single(await ReceiveAsync(QueueA));
    }

    private sealed record PoisonedMessageBody(string Message);
}

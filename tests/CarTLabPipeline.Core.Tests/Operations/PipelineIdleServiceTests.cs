using CarTLabPipeline.Operations;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Operations;

/// <summary>"Idle" as <c>cartlab process</c> waits for it: no handler running and every work queue empty, several checks in a row.</summary>
public class PipelineIdleServiceTests
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(1);

    private static PipelineIdleService CreateSut(InMemoryPipeline pipeline) =>
        new(new InMemoryPipelineMonitor(pipeline.Queue, pipeline.Ledger), TimeProvider.System);

    [Fact]
    public async Task WaitUntilIdleAsync_MessageWaiting_EvenHeldBackByADelay_IsNotIdle_OnlyForItsQueue()
    {
        await using var pipeline = new InMemoryPipeline();
        var sut = CreateSut(pipeline);
        Assert.True(await sut.WaitUntilIdleAsync(PipelineNames.Queues.Work, () => 0, TimeSpan.FromSeconds(10), s_poll, default));

        pipeline.Queue.SendRaw(PipelineNames.Queues.AlertNotifications, "{}", delay: TimeSpan.FromMinutes(5));

        Assert.False(await sut.WaitUntilIdleAsync(PipelineNames.Queues.Work, () => 0, TimeSpan.FromMilliseconds(50), s_poll, default));
        Assert.True(await sut.WaitUntilIdleAsync([PipelineNames.Queues.LabResultsInbound, PipelineNames.Queues.PatientEvaluations], () => 0, TimeSpan.FromSeconds(10), s_poll, default));
    }

    [Fact]
    public async Task WaitUntilIdleAsync_HandlerRunning_TimesOut_AndIdleOnceItEnds()
    {
        await using var pipeline = new InMemoryPipeline();
        var sut = CreateSut(pipeline);
        var running = 1;

        var busy = await sut.WaitUntilIdleAsync(PipelineNames.Queues.Work, () => running, TimeSpan.FromMilliseconds(50), s_poll, default);
        running = 0;
        var idle = await sut.WaitUntilIdleAsync(PipelineNames.Queues.Work, () => running, TimeSpan.FromSeconds(10), s_poll, default);

        Assert.False(busy);
        Assert.True(idle);
    }

    [Fact]
    public async Task WaitUntilIdleAsync_QueuedWork_IsNotIdleUntilItIsHandled()
    {
        await using var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync("PT-IDLE");
        Assert.True(pipeline.Pending > 0); // the enrollment queued an evaluation
        var sut = CreateSut(pipeline);

        var before = await sut.WaitUntilIdleAsync(PipelineNames.Queues.Work, () => 0, TimeSpan.FromMilliseconds(50), s_poll, default);
        await pipeline.RunAsync();
        var after = await sut.WaitUntilIdleAsync(PipelineNames.Queues.Work, () => 0, TimeSpan.FromSeconds(10), s_poll, default);

        Assert.False(before);
        Assert.True(after);
    }

    [Fact]
    public async Task WaitUntilSettledAsync_OnlyDeliveryRetriesHeldBack_EndsAfterTheGrace_AsRetriesScheduled()
    {
        await using var pipeline = new InMemoryPipeline();
        var sut = CreateSut(pipeline);
        pipeline.Queue.SendRaw(PipelineNames.Queues.AlertNotifications, "{}", delay: TimeSpan.FromMinutes(5));

        var settled = await sut.WaitUntilSettledAsync(PipelineNames.Queues.Work, () => 0, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20), s_poll, default);
        var waitingForThem = await sut.WaitUntilSettledAsync(PipelineNames.Queues.Work, () => 0, TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan, s_poll, default);

        Assert.Equal(PipelineSettled.RetriesScheduled, settled);
        Assert.Equal(PipelineSettled.TimedOut, waitingForThem);
    }

    [Theory]
    [InlineData(0)] // a notification that can be dispatched now is work, not a scheduled retry
    [InlineData(300)]
    public async Task WaitUntilSettledAsync_WorkBeforeSending_OrANotificationDueNow_IsWaitedFor(int evaluationDelaySeconds)
    {
        await using var pipeline = new InMemoryPipeline();
        var sut = CreateSut(pipeline);
        if (evaluationDelaySeconds == 0)
        {
            pipeline.Queue.SendRaw(PipelineNames.Queues.AlertNotifications, "{}");
        }
        else
        {
            pipeline.Queue.SendRaw(PipelineNames.Queues.PatientEvaluations, "{}", delay: TimeSpan.FromSeconds(evaluationDelaySeconds));
        }

        var settled = await sut.WaitUntilSettledAsync(PipelineNames.Queues.Work, () => 0, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1), s_poll, default);

        Assert.Equal(PipelineSettled.TimedOut, settled);
    }
}

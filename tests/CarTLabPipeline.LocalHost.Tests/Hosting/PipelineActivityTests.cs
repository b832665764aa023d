using CarTLabPipeline.LocalHost.Hosting;

namespace CarTLabPipeline.LocalHost.Tests.Hosting;

/// <summary>A handler in flight when the host stops gets <see cref="PipelineActivity.DrainGrace"/> to finish, not an instant cancellation.</summary>
public class PipelineActivityTests
{
    [Fact]
    public async Task Invocation_IsCancelledOnlyAfterTheDrainGrace_OnceTheHostStops_AndCountedUntilDisposed()
    {
        var activity = new PipelineActivity();
        using var stopping = new CancellationTokenSource();
        var invocation = activity.Track(stopping.Token);
        Assert.Equal(1, activity.Running);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await stopping.CancelAsync();
        Assert.False(invocation.Token.IsCancellationRequested); // still running: it may finish its work
        await Task.Delay(Timeout.Infinite, invocation.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.True(clock.Elapsed >= PipelineActivity.DrainGrace - TimeSpan.FromMilliseconds(50), $"cancelled after {clock.Elapsed}");

        invocation.Dispose();
        invocation.Dispose();
        Assert.Equal((0, 1L), (activity.Running, activity.Completed));
    }

    [Fact]
    public async Task RunAsync_WorkTheStopCancelled_EndsAsStoppedByShutdown_OtherCancellationsAsThemselves()
    {
        var activity = new PipelineActivity();
        using var stopping = new CancellationTokenSource();
        using var timeout = new CancellationTokenSource();
        await timeout.CancelAsync();

        var timedOut = await Assert.ThrowsAsync<TaskCanceledException>(() => activity.RunAsync(stopping.Token, _ => Task.Delay(Timeout.Infinite, timeout.Token)));
        var stop = activity.RunAsync(stopping.Token, ct => Task.Delay(Timeout.Infinite, ct));
        await stopping.CancelAsync();
        var stopped = await Assert.ThrowsAsync<StoppedByShutdownException>(() => stop);

        Assert.IsType<TaskCanceledException>(stopped.InnerException);
        Assert.Equal(0, activity.Running);
        Assert.NotNull(timedOut);
    }
}

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
}

using Xunit.Abstractions;

namespace CarTLabPipeline.Reliability.Tests;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM (docker stop, systemd, kill) stop a running <c>cartlab serve</c> within 5 s with exit code 0
/// and one closing line, never an unhandled exception or a stack trace (issue 16: it once took 22 s and ended in a
/// 150-line exception, and SIGTERM was ignored).
/// </summary>
[Trait("Category", "Integration")]
public class ServeSignalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Serve_Signal_StopsWithin5Seconds_Exit0_WithoutAStackTrace(string signal)
    {
        await using var services = new LocalServices();
        await services.StartAsync();
        await using var serve = ServeProcess.Start(services);
        await serve.WaitStartedAsync(TimeSpan.FromSeconds(90));

        var took = await serve.SignalAsync(signal, TimeSpan.FromSeconds(30));

        output.WriteLine($"SIG{signal}: exit {serve.ExitCode} after {took.TotalSeconds:0.0} s\n{serve.Log}");
        Assert.Equal(0, serve.ExitCode);
        Assert.True(took < TimeSpan.FromSeconds(5), $"SIG{signal} took {took}: serve must stop within 5 s");
        Assert.Single(serve.Log.Split('\n'), l => l.StartsWith($"cartlab serve: stopped (SIG{signal}) in ", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", serve.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", serve.Log, StringComparison.Ordinal); // no stack trace without --verbose
    }
}

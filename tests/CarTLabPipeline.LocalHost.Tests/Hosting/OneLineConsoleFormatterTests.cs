using CarTLabPipeline.LocalHost.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.LocalHost.Tests.Hosting;

/// <summary>A failed delivery logged 3,000 characters of stack without <c>-v</c> (issue 16): now one line, the stack only with <c>-v</c>.</summary>
public class OneLineConsoleFormatterTests
{
    private static string Write(bool verbose)
    {
        Exception failure;
        try
        {
            throw new InvalidOperationException("SMTP 550 mailbox unavailable\nserver said more");
        }
        catch (InvalidOperationException ex)
        {
            failure = ex;
        }

        var formatter = new OneLineConsoleFormatter(new Fixed(new OneLineFormatterOptions { ShowStackTraces = verbose }));
        using var output = new StringWriter();
        formatter.Write(new LogEntry<string>(LogLevel.Warning, "CarTLabPipeline.Notifications", new EventId(3002), "Delivery of A-1 by email failed",
            failure, (s, _) => s), null, output);
        return output.ToString();
    }

    [Fact]
    public void Write_ExceptionWithoutVerbose_IsOneLine_WithTypeAndFirstLine()
    {
        var text = Write(verbose: false);

        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.EndsWith("warn: CarTLabPipeline.Notifications[3002] Delivery of A-1 by email failed (InvalidOperationException: SMTP 550 mailbox unavailable)",
            text.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ExceptionWithVerbose_AddsTheStack()
    {
        Assert.Contains("   at ", Write(verbose: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_TriggerTheStopCancelled_IsOneInformationLine_NotTwoFailures()
    {
        var formatter = new OneLineConsoleFormatter(new Fixed(new OneLineFormatterOptions()));
        var stopped = new StoppedByShutdownException(new TaskCanceledException());
        using var function = new StringWriter();
        using var results = new StringWriter();

        formatter.Write(new LogEntry<string>(LogLevel.Error, "Function.DispatchAlert", new EventId(3), "Executed 'DispatchAlert' (Failed)", stopped, (s, _) => s), null, function);
        formatter.Write(new LogEntry<string>(LogLevel.Error, "Host.Results", new EventId(0), string.Empty, stopped, (s, _) => s), null, results);

        Assert.EndsWith("info: Function.DispatchAlert[3] stopped by the shutdown before it finished: its message returns to the queue and the work resumes at the next start",
            function.ToString().TrimEnd(), StringComparison.Ordinal);
        Assert.Empty(results.ToString());
    }

    private sealed class Fixed(OneLineFormatterOptions value) : IOptionsMonitor<OneLineFormatterOptions>
    {
        public OneLineFormatterOptions CurrentValue => value;

        public OneLineFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<OneLineFormatterOptions, string?> listener) => null;
    }
}

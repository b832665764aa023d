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

    private sealed class Fixed(OneLineFormatterOptions value) : IOptionsMonitor<OneLineFormatterOptions>
    {
        public OneLineFormatterOptions CurrentValue => value;

        public OneLineFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<OneLineFormatterOptions, string?> listener) => null;
    }
}

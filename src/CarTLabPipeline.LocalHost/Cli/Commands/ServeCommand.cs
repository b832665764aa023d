using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary>
/// <c>cartlab serve</c>: every trigger (blob, queues, reconciliation sweep, timers) until Ctrl+C or SIGTERM; then the host
/// stops first, the local services this run started after it.
/// </summary>
internal static class ServeCommand
{
    public static Command Define(CliContext cli)
    {
        var command = new Command("serve", "Run all triggers (blob, queues, reconciliation sweep) until Ctrl+C");
        command.SetAction((r, ct) => RunAsync(cli, cli.Global(r), ct));
        return command;
    }

    public static async Task<int> RunAsync(CliContext cli, GlobalOptions global, CancellationToken ct)
    {
        var stderr = cli.Output.Error;
        Local.NativeMethods.ReturnLargeFreedBlocks(); // a long-running host: freed native memory goes back (issue 17)
        var session = await cli.StartSessionAsync(global.Session(TriggerMode.All) with { LogLevel = LogLevel.Information, QueuePolling = SessionOptions.ServeQueuePolling }, ct).ConfigureAwait(false);
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // The HTTP API first: a taken port stops serve with its one-line reason before it says it runs.
            await using var http = await LocalHttpApi.StartAsync(session, ct).ConfigureAwait(false);
            stderr.WriteLine($"cartlab serve: triggers running on {session.Describe()}. Drop files into '{PipelineNames.Containers.LabResults}'. Ctrl+C or SIGTERM stops.");
            stderr.WriteLine($"Workspace: {http.Address}app/ (HTTP API under {http.Address}api/, development identity, loopback only)");
            if (session.StartedMailDev && session.Inbox is { } inbox)
            {
                stderr.WriteLine($"Alert emails: {inbox} (MailDev)");
            }

            await session.RunUntilCancelledAsync(ct).ConfigureAwait(false);
            stopping.Restart();
        }
        finally
        {
            // The host first, then the Azurite and MailDev this session started.
            await session.DisposeAsync().ConfigureAwait(false);
        }

        var children = string.Join(" and ", new[] { session.StartedAzurite ? "Azurite" : null, session.StartedMailDev ? "MailDev" : null }.OfType<string>());
        stderr.WriteLine($"cartlab serve: stopped ({ShutdownSignals.Received ?? "cancelled"}) in {stopping.Elapsed.TotalSeconds:0.0} s" +
            (children.Length > 0 ? $"; the {children} it started stopped too." : "."));
        return 0;
    }
}

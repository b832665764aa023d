using System.CommandLine;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab monitor</c>: the daily monitoring job now (overdue MRD assessments, silent lab feeds), and the alerts it changed.</summary>
internal sealed class MonitorCommand(CliOutput output, MonitoringService monitoring, FeedSilenceAlerts feeds, PipelineWait wait, AlertActivityService alerts,
    IOptions<EvaluationOptions> evaluation, TimeProvider time)
{
    public static Command Define(CliContext cli)
    {
        var json = CliContext.Json();
        var command = new Command("monitor", "Run the daily monitoring job now (overdue MRD assessments) and print the alerts it changed") { json };
        command.SetAction((r, ct) => cli.RunAsync<MonitorCommand>(r, TriggerMode.Evaluation, (c, _) => c.RunAsync(r.GetValue(json), ct), ct));
        return command;
    }

    public async Task<int> RunAsync(bool json, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var patients = await monitoring.RunAsync(ct).ConfigureAwait(false);
        await feeds.CheckAsync(ct).ConfigureAwait(false);
        if (!await wait.UntilIdleAsync(ct).ConfigureAwait(false))
        {
            return 1;
        }

        // A patient whose record is over the limit was refused, not evaluated: said, with the line 'process' prints.
        var notEvaluated = await alerts.NotEvaluatedAsync(ct).ConfigureAwait(false);
        output.Error.WriteLine(notEvaluated.Count == 0
            ? $"Monitoring job: {patients} enrolled patient(s) evaluated; lab feeds checked."
            : $"Monitoring job: {patients - notEvaluated.Count} of {patients} enrolled patient(s) evaluated, {notEvaluated.Count} not (below); lab feeds checked.");
        AlertPrinter.PrintNotEvaluated(output.Error, notEvaluated, evaluation.Value.MaxRecordVersions);
        AlertPrinter.Print(output.Out, AlertPrinter.Order(await alerts.RaisedOrRetractedSinceAsync(started, ct).ConfigureAwait(false)), json);
        return 0;
    }
}

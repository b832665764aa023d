using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab process PATH…</c>: drops the files, runs the pipeline until idle, prints the alerts these files raised.</summary>
internal sealed class ProcessCommand(
    CliOutput output, LabFileDrop drop, PipelineWait wait, AlertActivityService alerts, IOptions<EvaluationOptions> evaluation, TimeProvider time)
{
    public static Argument<string[]> Paths() => new("paths") { Description = "Lab files or folders", Arity = ArgumentArity.OneOrMore };

    public static Option<string> Lab() => new("--lab") { Description = "Lab folder in the drop zone: lab-results/{lab}/{file}", DefaultValueFactory = _ => "local" };

    public static Command Define(CliContext cli)
    {
        var paths = Paths();
        var lab = Lab();
        var json = CliContext.Json();
        var command = new Command("process", "Drop the files, run the pipeline until idle, print the alerts these files raised") { paths, lab, json };
        command.SetAction((r, ct) =>
        {
            LabFileDrop.Check(r.GetValue(paths)!);
            return cli.RunAsync<ProcessCommand>(r, TriggerMode.Queues, (c, _) => c.RunAsync(r.GetValue(paths)!, r.GetValue(lab)!, r.GetValue(json), ct), ct);
        });
        return command;
    }

    public async Task<int> RunAsync(IReadOnlyList<string> paths, string lab, bool json, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var reports = await drop.IngestAsync(paths, lab, ct).ConfigureAwait(false);
        if (!await wait.UntilIdleAsync(ct).ConfigureAwait(false))
        {
            return 1;
        }

        // The results of each file (also of a duplicate): the alerts they raised, and every alert this run changed.
        var found = await alerts.ForFilesAsync(reports.Select(r => r.File), started, ct).ConfigureAwait(false);
        var (changed, earlier) = found;

        // A patient whose record is too large is not evaluated: one line each, whether this run or an earlier one found it.
        AlertPrinter.PrintNotEvaluated(output.Error, found.NotEvaluated, evaluation.Value.MaxRecordVersions);

        if (json || earlier.Count == 0)
        {
            AlertPrinter.Print(output.Out, AlertPrinter.Order([.. changed, .. earlier]), json);
            return 0;
        }

        // Say which alerts this run changed, so a re-send that changed nothing reads as such.
        if (changed.Count > 0)
        {
            AlertPrinter.Print(output.Out, AlertPrinter.Order(changed), json: false);
        }

        output.Out.WriteLine(changed.Count == 0
            ? "No alert changed in this run. The alerts these files' results raised earlier stand unchanged:"
            : "Raised earlier by these files' results, unchanged by this run:");
        output.Out.WriteLine();
        AlertPrinter.Print(output.Out, AlertPrinter.Order(earlier), json: false);
        return 0;
    }
}

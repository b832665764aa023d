using System.CommandLine;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.LocalHost.Hosting;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab replay NAME</c>: ingests a file of the drop zone again, even if its content was processed before.</summary>
internal sealed class ReplayCommand(CliOutput output, ILabFileStore files, LabFileIngestionService ingestion, IngestionReportPrinter printer, PipelineWait wait)
{
    public static Command Define(CliContext cli)
    {
        var name = new Argument<string>("name") { Description = "Blob name in lab-results, e.g. local/2024-10-11.csv" };
        var command = new Command("replay", "Ingest a file of the drop zone again, even if its content was processed before") { name };
        command.SetAction((r, ct) => cli.RunAsync<ReplayCommand>(r, TriggerMode.Evaluation, (c, _) => c.RunAsync(r.GetValue(name)!, ct), ct));
        return command;
    }

    public async Task<int> RunAsync(string name, CancellationToken ct)
    {
        var source = await files.GetAsync(name, ct).ConfigureAwait(false);
        if (source is null)
        {
            output.Error.WriteLine($"No file '{name}' in {PipelineNames.Containers.LabResults}. Upload the corrected file with 'cartlab drop', or give the blob name shown by 'cartlab rejected'.");
            return 1;
        }

        printer.Print(await ingestion.ReplayAsync(source, ct).ConfigureAwait(false));
        return await wait.UntilIdleAsync(ct).ConfigureAwait(false) ? 0 : 1;
    }
}

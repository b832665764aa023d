using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab drop PATH…</c>: uploads lab files into the drop zone and ingests them; evaluation runs in <c>serve</c>.</summary>
internal sealed class DropCommand(CliOutput output, LabFileDrop drop)
{
    public static Command Define(CliContext cli)
    {
        var paths = ProcessCommand.Paths();
        var lab = ProcessCommand.Lab();
        var command = new Command("drop", "Upload lab files into the drop zone and ingest them (evaluation runs in 'serve')") { paths, lab };
        command.SetAction((r, ct) =>
        {
            LabFileDrop.Check(r.GetValue(paths)!);
            return cli.RunAsync<DropCommand>(r, TriggerMode.None, (c, _) => c.RunAsync(r.GetValue(paths)!, r.GetValue(lab)!, ct), ct);
        });
        return command;
    }

    public async Task<int> RunAsync(IReadOnlyList<string> paths, string lab, CancellationToken ct)
    {
        await drop.IngestAsync(paths, lab, ct).ConfigureAwait(false);
        output.Error.WriteLine("Results are stored; evaluation runs when a host runs the queue triggers ('cartlab serve').");
        return 0;
    }
}

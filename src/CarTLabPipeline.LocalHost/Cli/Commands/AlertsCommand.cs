using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Operations;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab alerts [--patient ID] [--json]</c>: the stored alerts; with <c>--json</c> each with its delivery ledger.</summary>
internal sealed class AlertsCommand(CliOutput output, AlertActivityService alerts)
{
    public static Command Define(CliContext cli)
    {
        var patient = new Option<string?>("--patient") { Description = "Only this patient's alerts" };
        var json = CliContext.Json("One JSON object per alert and line (docs/design.md §5) with its deliveries: state, attempts, last error per channel and recipient");
        var command = new Command("alerts", "List stored alerts") { patient, json };
        command.SetAction((r, ct) => cli.RunAsync<AlertsCommand>(r, TriggerMode.None, (c, _) => c.RunAsync(r.GetValue(patient), r.GetValue(json), ct), ct));
        return command;
    }

    public async Task<int> RunAsync(string? patient, bool json, CancellationToken ct)
    {
        AlertPrinter.PrintStored(output.Out, await alerts.ListAsync(patient, ct).ConfigureAwait(false), json);
        return 0;
    }
}

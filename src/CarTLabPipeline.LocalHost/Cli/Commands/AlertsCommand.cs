using System.CommandLine;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.LocalHost.Hosting;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab alerts [--patient ID] [--json]</c>: the stored alerts.</summary>
internal sealed class AlertsCommand(CliOutput output, AlertActivityService alerts)
{
    public static Command Define(CliContext cli)
    {
        var patient = new Option<string?>("--patient") { Description = "Only this patient's alerts" };
        var json = CliContext.Json();
        var command = new Command("alerts", "List stored alerts") { patient, json };
        command.SetAction((r, ct) => cli.RunAsync<AlertsCommand>(r, TriggerMode.None, (c, _) => c.RunAsync(r.GetValue(patient), r.GetValue(json), ct), ct));
        return command;
    }

    public async Task<int> RunAsync(string? patient, bool json, CancellationToken ct)
    {
        var rows = await alerts.ListAsync(patient, ct).ConfigureAwait(false);
        AlertPrinter.Print(output.Out, AlertPrinter.Order(rows.Select(r => r.Alert)), json);
        return 0;
    }
}

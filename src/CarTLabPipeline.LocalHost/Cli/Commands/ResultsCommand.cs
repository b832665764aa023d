using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Results;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab results ID [--versions] [--json]</c>: the patient's current record and where every value came from.</summary>
internal sealed class ResultsCommand(CliOutput output, ResultQueryService results)
{
    public static Command Define(CliContext cli)
    {
        var patient = new Argument<string>("patientId") { Description = "The patient whose record to show" };
        var versions = new Option<bool>("--versions") { Description = "Also list every version the lab sent of each result: status, value, message time, file:line" };
        var json = CliContext.Json("One JSON object per result and line (with its versions when --versions)");
        var command = new Command("results", "Show a patient's current record and where every value came from (corrections, withdrawals, file and line)")
        {
            patient, versions, json,
        };
        command.SetAction((r, ct) => cli.RunAsync<ResultsCommand>(r, TriggerMode.None, (c, _) => c.RunAsync(r.GetValue(patient)!, r.GetValue(versions), r.GetValue(json), ct), ct));
        return command;
    }

    public async Task<int> RunAsync(string patientId, bool versions, bool json, CancellationToken ct)
    {
        // The table reads the versions (to say what a withdrawal withdrew) and prints them with --versions; JSON has them only then.
        var query = await results.GetAsync(patientId, versions || !json, ct).ConfigureAwait(false);
        if (query.Value is not { } view)
        {
            return output.NoAnswer(query);
        }

        ResultPrinter.Print(output.Out, view, json, versions);
        return 0;
    }
}

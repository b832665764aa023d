using System.CommandLine;
using System.Globalization;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.LocalHost.Hosting;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab evaluate ID [--as-of DATE]</c>: the alerts the rules give for a patient, nothing stored or sent.</summary>
internal sealed class EvaluateCommand(CliOutput output, PatientEvaluationService evaluation, TimeProvider time)
{
    public static Command Define(CliContext cli)
    {
        var patient = new Argument<string>("patientId") { Description = "The patient to evaluate" };
        var asOf = new Option<DateTimeOffset?>("--as-of")
        {
            Description = "Evaluate as of this date/time (results collected until then), e.g. 2024-10-20",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    return parsed;
                }

                result.AddError($"--as-of '{text}' is not a date: write yyyy-MM-dd or an ISO 8601 date-time, e.g. 2024-10-20 or 2024-10-20T08:00+02:00.");
                return null;
            },
        };
        var json = CliContext.Json();
        var command = new Command("evaluate", "Show the alerts the rules give for a patient, optionally as of a past date (nothing is stored or sent)") { patient, asOf, json };
        command.SetAction((r, ct) => cli.RunAsync<EvaluateCommand>(r, TriggerMode.None, (c, _) => c.RunAsync(r.GetValue(patient)!, r.GetValue(asOf), r.GetValue(json), ct), ct));
        return command;
    }

    public async Task<int> RunAsync(string patientId, DateTimeOffset? asOf, bool json, CancellationToken ct)
    {
        var at = asOf ?? time.GetUtcNow();
        var query = await evaluation.PreviewAsync(patientId, at, ct).ConfigureAwait(false);
        if (query.Value is not { } alerts)
        {
            return output.NoAnswer(query);
        }

        if (!json)
        {
            output.Out.WriteLine($"Alerts the rules give for {patientId} as of {at:yyyy-MM-dd HH:mm zzz} (results collected until then; nothing stored or sent). The patient is treated as followed since infusion: overdue checks of windows that closed before enrollment are listed, though the pipeline never raises them ('cartlab schedule' marks them missed):");
            output.Out.WriteLine();
        }

        AlertPrinter.Print(output.Out, alerts, json);
        return 0;
    }
}

using System.CommandLine;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab schedule ID</c>: the patient's follow-up schedule — done, due, overdue, missed and upcoming timepoints.</summary>
internal sealed class ScheduleCommand(CliOutput output, ScheduleQueryService schedules)
{
    public static Command Define(CliContext cli)
    {
        var patient = new Argument<string>("patientId") { Description = "The patient whose follow-up schedule to show" };
        var command = new Command("schedule", "Show a patient's follow-up schedule (MRD, counts, IgG, CD19, CD4, registry): what is done, due and overdue")
        {
            patient,
        };
        command.SetAction((r, ct) => cli.RunAsync<ScheduleCommand>(r, TriggerMode.None, (c, _) => c.RunAsync(r.GetValue(patient)!, ct), ct));
        return command;
    }

    public async Task<int> RunAsync(string patientId, CancellationToken ct)
    {
        var query = await schedules.GetScheduleAsync(patientId, ct).ConfigureAwait(false);
        if (query.Value is not { } schedule)
        {
            return output.NoAnswer(query);
        }

        output.Out.WriteLine($"{patientId}: day 0 = {schedule.FollowUp}; today {schedule.Today:yyyy-MM-dd} is day {ClinicalText.Day(schedule.TodayDay)}.");
        if (!schedule.CarT)
        {
            output.Out.WriteLine($"After {schedule.FollowUp} the CAR-T follow-up schedule has ended: the transplant team's schedule applies.");
            return 0;
        }

        if (schedule.FollowedSince is { } since && schedule.Lines.Any(l => l.Status == "missed"))
        {
            output.Out.WriteLine($"Followed by the pipeline since {since:yyyy-MM-dd}: windows that closed before are 'missed' (never alerted), later ones 'overdue'.");
        }

        output.Out.WriteLine();
        output.Out.WriteLine($"{"STATUS",-9} {"TIMEPOINT",-10} {"TEST",-32} WINDOW");
        foreach (var l in schedule.Lines)
        {
            var collected = l.Collected is null ? string.Empty : $"  collected {l.Collected}";
            output.Out.WriteLine($"{l.Status,-9} {l.Timepoint,-10} {l.Test,-32} {l.Window}{collected}");
        }

        return 0;
    }
}

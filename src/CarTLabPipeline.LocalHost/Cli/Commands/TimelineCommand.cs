using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab timeline ID [--png FILE]</c>: the patient's followed analytes by day since infusion; <c>--png</c> draws them.</summary>
internal sealed class TimelineCommand(CliOutput output, PatientTimelineService timelines)
{
    public static Command Define(CliContext cli)
    {
        var patient = new Argument<string>("patientId") { Description = "The patient whose timeline to show" };
        var png = new Option<string?>("--png") { Description = "Also draw the followed analytes by day since infusion into this PNG file" };
        var command = new Command("timeline", "Show a patient's results by day since infusion; --png draws the trend charts") { patient, png };
        command.SetAction((r, ct) =>
        {
            CheckPng(r.GetValue(png));
            return cli.RunAsync<TimelineCommand>(r, TriggerMode.None, (c, _) => c.RunAsync(r.GetValue(patient)!, r.GetValue(png), ct), ct);
        });
        return command;
    }

    /// <summary>Fails before anything starts when <paramref name="png"/> cannot be a file to write: a folder, or in a folder that does not exist.</summary>
    private static void CheckPng(string? png)
    {
        if (png is null)
        {
            return;
        }

        if (Directory.Exists(png))
        {
            throw new PermanentPipelineException($"--png {png}: is a folder; give a file name, e.g. {Path.Combine(png, "timeline.png")}");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(png));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new PermanentPipelineException($"--png {png}: the folder {folder} does not exist; create it or write the PNG elsewhere");
        }
    }

    public async Task<int> RunAsync(string patientId, string? png, CancellationToken ct)
    {
        var query = await timelines.GetAsync(patientId, ct).ConfigureAwait(false);
        if (query.Value is not { } timeline)
        {
            return output.NoAnswer(query);
        }

        var (enrollment, followUp) = (timeline.Enrollment, timeline.FollowUp);
        output.Out.WriteLine($"{patientId}: {enrollment.Product}, day 0 = {followUp.DayZero:yyyy-MM-dd} ({followUp.Describe()}, {enrollment.TimeZone}), {timeline.StoredResults} stored result(s)");
        foreach (var (analyte, values) in timeline.Series)
        {
            output.Out.WriteLine($"  {analyte.DisplayName,-30} " + string.Join("  ",
                values.Select(r => $"{ClinicalText.Day(timeline.Day(enrollment.CollectionDate(r)))}: {ClinicalText.Value(r)}")));
        }

        if (enrollment.Events.Count > 0)
        {
            output.Out.WriteLine($"  {"Treatment events",-30} " + string.Join("  ",
                enrollment.Events.Select(e => $"{ClinicalText.Day(timeline.Day(e.Date))}: {e.Label}")));
        }

        if (png is null)
        {
            return 0;
        }

        if (timelines.RenderPng(timeline) is not { } bytes)
        {
            output.Error.WriteLine("No followed analyte has values yet: no chart written.");
            return 0;
        }

        try
        {
            await File.WriteAllBytesAsync(png, bytes, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PermanentPipelineException($"--png {png}: cannot write it ({ex.Message})", ex);
        }

        output.Error.WriteLine($"Wrote {png} ({timeline.Charts.Count} chart(s), {bytes.Length / 1024} KiB).");
        return 0;
    }
}

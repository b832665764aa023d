using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Operations;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary>
/// <c>cartlab enroll FILE…</c>: enrolls or updates patients; the enrollment queues an evaluation of the results already
/// stored (and re-dates open alerts after an infusion date correction): run it before returning, and print what it changed.
/// </summary>
internal sealed class EnrollCommand(CliOutput output, EnrollmentFiles enrollments, PipelineWait wait, AlertActivityService alerts, TimeProvider time)
{
    public static Command Define(CliContext cli)
    {
        var files = new Argument<string[]>("files") { Description = "Enrollment JSON files", Arity = ArgumentArity.OneOrMore };
        var command = new Command("enroll", "Enroll or update patients from enrollment JSON files") { files };
        command.SetAction((r, ct) =>
        {
            Check(r.GetValue(files)!);
            return cli.RunAsync<EnrollCommand>(r, TriggerMode.Evaluation, (c, _) => c.RunAsync(r.GetValue(files)!, ct), ct);
        });
        return command;
    }

    /// <summary>Every file is there and is a file, before any service starts (else one line: which, and what to give).</summary>
    /// <exception cref="FileNotFoundException">A path is missing or a folder.</exception>
    public static void Check(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            if (Directory.Exists(file))
            {
                throw new FileNotFoundException($"enroll {file}: is a folder; give the enrollment JSON files in it (e.g. {Path.Combine(file, "*.json")})", file);
            }

            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"enroll {file}: no such file; give the path of an enrollment JSON document (docs/design.md §4)", file);
            }
        }
    }

    public async Task<int> RunAsync(IReadOnlyList<string> files, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        if (!await enrollments.EnrollAsync(files, ct).ConfigureAwait(false) || !await wait.UntilIdleAsync(ct).ConfigureAwait(false))
        {
            return 1;
        }

        var changed = await alerts.ChangedSinceAsync(started, null, ct).ConfigureAwait(false);
        if (changed.Count > 0)
        {
            output.Out.WriteLine($"{changed.Count} alert(s) raised, updated or retracted by the evaluation of the stored results:");
            AlertPrinter.Print(output.Out, AlertPrinter.Order(changed), json: false);
        }

        return 0;
    }
}

using System.CommandLine;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.LocalHost.Local;
using CarTLabPipeline.Operations;
using CarTLabPipeline.Patients;

namespace CarTLabPipeline.LocalHost.Cli.Commands;

/// <summary><c>cartlab demo</c>: local services, the sample patients enrolled, the sample lab files dropped, the pipeline run, the alerts printed.</summary>
internal sealed class DemoCommand(CliOutput output, EnrollmentFiles enrollments, LabFileDrop drop, PipelineWait wait, AlertActivityService alerts, DeliverySummaryService deliveries)
{
    public static Command Define(CliContext cli)
    {
        var samples = new Option<string?>("--samples") { Description = "Samples folder (default: samples/ of the repository)" };
        var command = new Command("demo", "Start local services, enroll the sample patients, drop the sample lab files, wait, print the alerts") { samples };
        command.SetAction((r, ct) =>
        {
            var folder = r.GetValue(samples) ?? Path.Combine(LocalNodeService.FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), "samples");
            if (!Directory.Exists(Path.Combine(folder, "patients")) || !Directory.Exists(Path.Combine(folder, "lab-files")))
            {
                cli.Output.Error.WriteLine($"No samples under {folder} (expected patients/ and lab-files/). Run from the repository, or pass --samples.");
                return Task.FromResult(1);
            }

            return cli.RunAsync<DemoCommand>(r, TriggerMode.Queues, (c, session) => c.RunAsync(session, folder, ct), ct);
        });
        return command;
    }

    public async Task<int> RunAsync(CartlabSession session, string samples, CancellationToken ct)
    {
        var stdout = output.Out;
        stdout.WriteLine($"CarTLabPipeline demo on {session.Describe()}");
        stdout.WriteLine();
        stdout.WriteLine("1. Enrolling the sample patients");
        var enrollmentFiles = Directory.GetFiles(Path.Combine(samples, "patients"), "*.json").Order(StringComparer.Ordinal).ToList();
        if (!await enrollments.EnrollAsync(enrollmentFiles, ct).ConfigureAwait(false))
        {
            return 1;
        }

        stdout.WriteLine();
        stdout.WriteLine("2. Dropping the sample lab files");
        await drop.IngestAsync([Path.Combine(samples, "lab-files")], "demo-lab", ct, report: stdout).ConfigureAwait(false);

        stdout.WriteLine();
        stdout.WriteLine("3. Waiting for the pipeline to finish (evaluate patients, store alerts, dispatch notifications)");
        if (!await wait.UntilIdleAsync(ct).ConfigureAwait(false))
        {
            return 1;
        }

        var patientIds = enrollmentFiles.Select(f => EnrollmentService.Parse(File.ReadAllText(f)).PatientId).ToHashSet(StringComparer.Ordinal);
        var shown = (await alerts.ListAsync(null, ct).ConfigureAwait(false)).Select(r => r.Alert).Where(a => patientIds.Contains(a.PatientId)).ToList();
        stdout.WriteLine();
        stdout.WriteLine($"4. Alerts ({shown.Count})");
        stdout.WriteLine();
        AlertPrinter.Print(stdout, AlertPrinter.Order(shown), json: false);

        stdout.WriteLine("5. Notifications (from the delivery ledger on each alert row)");
        DeliveryPrinter.Print(stdout, await deliveries.SummarizeAsync(a => patientIds.Contains(a.PatientId), ct).ConfigureAwait(false));
        stdout.WriteLine();
        stdout.WriteLine("Where to read them:");
        if (session.Inbox is { } inbox)
        {
            var mails = await MailDevClient.CountAsync(inbox, ct).ConfigureAwait(false);
            // A MailDev this demo started stops with it: its address is no use after the demo, 'cartlab serve' brings it back.
            stdout.WriteLine(session.StartedMailDev
                ? $"  emails         {mails} mail(s) in MailDev, saved under .local/maildev: run 'cartlab serve' and open {inbox}"
                : $"  emails         {inbox} (MailDev: {mails} mail(s) in the inbox)");
        }

        stdout.WriteLine($"  alert events   the local queue '{PipelineNames.Queues.LabAlerts}' (stand-in for the Service Bus topic)");
        stdout.WriteLine("  alerts         cartlab alerts [--patient ID] [--json]");
        stdout.WriteLine("  trend chart    cartlab timeline PT-0001 --png PT-0001.png");
        stdout.WriteLine("  rejected files cartlab rejected");
        if (session.StartedAzurite || session.StartedMailDev)
        {
            stdout.WriteLine("  (local services started for this run are stopped now; data stays under .local/)");
        }

        return 0;
    }
}

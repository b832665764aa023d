using System.CommandLine;
using CarTLabPipeline.LocalHost.Cli;
using CarTLabPipeline.LocalHost.Hosting;

namespace CarTLabPipeline.LocalHost;

/// <summary>The <c>cartlab</c> command line (docs/design.md §8).</summary>
public static class Program
{
    /// <summary>Exit code of a transient failure (EX_TEMPFAIL): the same command may work when run again.</summary>
    public const int TransientFailure = 75;

    /// <summary>Exit code of a failure the code did not expect (EX_SOFTWARE).</summary>
    public const int UnexpectedFailure = 70;

    /// <summary>Exit code after Ctrl+C.</summary>
    public const int Cancelled = 130;

    public static async Task<int> Main(string[] args)
    {
        // SIGINT (Ctrl+C) and SIGTERM (docker stop, systemd, kill) both cancel the command's token: 'serve' stops its host
        // and the services it started, and exits 0. A second signal ends the process at once.
        using var shutdown = new ShutdownSignals();
        return await RunAsync(args, Console.Out, Console.Error, shutdown.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a command line. The one place a failure becomes what a person sees: one line on stderr (the stack trace too
    /// with <c>--verbose</c>) and an exit code — 1 for input that can never work (<see cref="PermanentPipelineException"/>,
    /// a missing file), <see cref="TransientFailure"/> for a failure worth retrying, <see cref="Cancelled"/> after Ctrl+C,
    /// <see cref="UnexpectedFailure"/> for anything else.
    /// </summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var parsed = BuildCommand(stdout, stderr).Parse(args);
        try
        {
            var invocation = new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,
                ProcessTerminationTimeout = null, // the signals are ShutdownSignals' (Main)
            };
            return await parsed.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var (code, line) = Describe(ex);
            stderr.WriteLine($"cartlab: {line}");
            if (code == UnexpectedFailure && parsed.GetValue<bool>("--verbose"))
            {
                stderr.WriteLine(ex);
            }

            return code;
        }
    }

    /// <summary>The exit code and the one line said for a failure that reached the top.</summary>
    internal static (int Code, string Line) Describe(Exception failure) => failure switch
    {
        PermanentPipelineException or FileNotFoundException or DirectoryNotFoundException => (1, OneLine(failure.Message)),
        Microsoft.Extensions.Options.OptionsValidationException invalid => (1, $"configuration: {string.Join("; ", invalid.Failures)}"),
        TransientPipelineException { RetryAfter: { } after } => (TransientFailure, $"{OneLine(failure.Message)} (transient: try again in {after.TotalSeconds:0} s)"),
        TransientPipelineException => (TransientFailure, $"{OneLine(failure.Message)} (transient: try again)"),
        OperationCanceledException => (Cancelled, "cancelled"),
        _ => (UnexpectedFailure, $"{failure.GetType().Name}: {OneLine(failure.Message)} (--verbose prints the stack trace)"),
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    internal static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr)
    {
        var commands = new CartlabCommands(stdout, stderr);
        var storage = new Option<string?>("--storage")
        {
            Description = "Storage connection string (default: $AzureWebJobsStorage, else UseDevelopmentStorage=true with Azurite started when needed)",
            Recursive = true,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log pipeline activity to stderr", Recursive = true };
        var json = new Option<bool>("--json") { Description = "One JSON object per alert and line (docs/design.md §5)" };
        var lab = new Option<string>("--lab") { Description = "Lab folder in the drop zone: lab-results/{lab}/{file}", DefaultValueFactory = _ => "local" };
        var paths = new Argument<string[]>("paths") { Description = "Lab files or folders", Arity = ArgumentArity.OneOrMore };

        GlobalOptions Global(ParseResult r) => new(r.GetValue(storage), r.GetValue(verbose));

        var root = new RootCommand("cartlab — the CarTLabPipeline local host and ops tool: lab results in, explained CAR-T follow-up alerts out.");
        root.Options.Add(storage);
        root.Options.Add(verbose);

        var demo = new Command("demo", "Start local services, enroll the sample patients, drop the sample lab files, wait, print the alerts");
        var samples = new Option<string?>("--samples") { Description = "Samples folder (default: samples/ of the repository)" };
        demo.Options.Add(samples);
        demo.SetAction((r, ct) => commands.DemoAsync(Global(r), r.GetValue(samples), ct));
        root.Subcommands.Add(demo);

        var serve = new Command("serve", "Run all triggers (blob, queues, reconciliation sweep) until Ctrl+C");
        serve.SetAction((r, ct) => commands.ServeAsync(Global(r), ct));
        root.Subcommands.Add(serve);

        var enrollFiles = new Argument<string[]>("files") { Description = "Enrollment JSON files", Arity = ArgumentArity.OneOrMore };
        var enroll = new Command("enroll", "Enroll or update patients from enrollment JSON files") { enrollFiles };
        enroll.SetAction((r, ct) => commands.EnrollAsync(Global(r), r.GetValue(enrollFiles)!, ct));
        root.Subcommands.Add(enroll);

        var eventPatient = new Argument<string>("patientId") { Description = "The enrolled patient" };
        var kind = new Option<string>("--kind")
        {
            Description = "What happened: " + string.Join(", ", Patients.TreatmentEventKinds.Names),
            Required = true,
        };
        var date = new Option<string>("--date") { Description = "The patient's local calendar date, yyyy-MM-dd", Required = true };
        var grade = new Option<int?>("--grade") { Description = "ASTCT grade 1-4 (crs and icans only)" };
        var detail = new Option<string?>("--detail") { Description = "Which: e.g. cotrimoxazole, acyclovir (prophylaxis), IVIG/SCIG (immunoglobulin)" };
        var note = new Option<string?>("--note") { Description = "Free text for people (not read by the rules)" };
        var eventAdd = new Command("add", "Record a treatment event (CRS, ICANS, immunoglobulin or prophylaxis start/stop, second infusion, HSCT…), re-evaluate, print what changed")
        {
            eventPatient, kind, date, grade, detail, note,
        };
        eventAdd.SetAction((r, ct) => commands.AddEventAsync(Global(r), r.GetValue(eventPatient)!, r.GetValue(kind)!, r.GetValue(date)!,
            r.GetValue(grade), r.GetValue(detail), r.GetValue(note), ct));
        var treatmentEvent = new Command("event", "Treatment events of an enrolled patient") { eventAdd };
        root.Subcommands.Add(treatmentEvent);

        var drop = new Command("drop", "Upload lab files into the drop zone and ingest them (evaluation runs in 'serve')") { paths, lab };
        drop.SetAction((r, ct) => commands.DropAsync(Global(r), r.GetValue(paths)!, r.GetValue(lab)!, ct));
        root.Subcommands.Add(drop);

        var process = new Command("process", "Drop the files, run the pipeline until idle, print the alerts these files raised") { paths, lab, json };
        process.SetAction((r, ct) => commands.ProcessAsync(Global(r), r.GetValue(paths)!, r.GetValue(lab)!, r.GetValue(json), ct));
        root.Subcommands.Add(process);

        var patient = new Option<string?>("--patient") { Description = "Only this patient's alerts" };
        var alerts = new Command("alerts", "List stored alerts") { patient, json };
        alerts.SetAction((r, ct) => commands.AlertsAsync(Global(r), r.GetValue(patient), r.GetValue(json), ct));
        root.Subcommands.Add(alerts);

        var rejected = new Command("rejected", "List rejection reports (lab-results-rejected/*.errors.json)");
        rejected.SetAction((r, ct) => commands.RejectedAsync(Global(r), ct));
        root.Subcommands.Add(rejected);

        var monitor = new Command("monitor", "Run the daily monitoring job now (overdue MRD assessments) and print the alerts it changed") { json };
        monitor.SetAction((r, ct) => commands.MonitorAsync(Global(r), r.GetValue(json), ct));
        root.Subcommands.Add(monitor);

        var patientId = new Argument<string>("patientId") { Description = "The patient to evaluate" };
        var asOf = new Option<DateTimeOffset?>("--as-of") { Description = "Evaluate as of this date/time (results collected until then), e.g. 2024-10-20" };
        var evaluate = new Command("evaluate", "Show the alerts the rules give for a patient, optionally as of a past date (nothing is stored or sent)") { patientId, asOf, json };
        evaluate.SetAction((r, ct) => commands.EvaluateAsync(Global(r), r.GetValue(patientId)!, r.GetValue(asOf), r.GetValue(json), ct));
        root.Subcommands.Add(evaluate);

        var name = new Argument<string>("name") { Description = "Blob name in lab-results, e.g. local/2024-10-11.csv" };
        var replay = new Command("replay", "Ingest a file of the drop zone again, even if its content was processed before") { name };
        replay.SetAction((r, ct) => commands.ReplayAsync(Global(r), r.GetValue(name)!, ct));
        root.Subcommands.Add(replay);

        var timelinePatient = new Argument<string>("patientId") { Description = "The patient whose timeline to show" };
        var png = new Option<string?>("--png") { Description = "Also draw the followed analytes by day since infusion into this PNG file" };
        var timeline = new Command("timeline", "Show a patient's results by day since infusion; --png draws the trend charts") { timelinePatient, png };
        timeline.SetAction((r, ct) => commands.TimelineAsync(Global(r), r.GetValue(timelinePatient)!, r.GetValue(png), ct));
        root.Subcommands.Add(timeline);

        var resultsPatient = new Argument<string>("patientId") { Description = "The patient whose record to show" };
        var versions = new Option<bool>("--versions") { Description = "Also list every version the lab sent of each result: status, value, message time, file:line" };
        var resultsJson = new Option<bool>("--json") { Description = "One JSON object per result and line (with its versions when --versions)" };
        var results = new Command("results", "Show a patient's current record and where every value came from (corrections, withdrawals, file and line)")
        {
            resultsPatient, versions, resultsJson,
        };
        results.SetAction((r, ct) => commands.ResultsAsync(Global(r), r.GetValue(resultsPatient)!, r.GetValue(versions), r.GetValue(resultsJson), ct));
        root.Subcommands.Add(results);

        var schedulePatient = new Argument<string>("patientId") { Description = "The patient whose follow-up schedule to show" };
        var schedule = new Command("schedule", "Show a patient's follow-up schedule (MRD, counts, IgG, CD19, CD4, registry): what is done, due and overdue")
        {
            schedulePatient,
        };
        schedule.SetAction((r, ct) => commands.ScheduleAsync(Global(r), r.GetValue(schedulePatient)!, ct));
        root.Subcommands.Add(schedule);

        var alertId = new Argument<string>("alertId") { Description = "The alert whose failed deliveries to send again" };
        var redeliver = new Command("redeliver", "After fixing a channel (SMTP, SendGrid, Service Bus): send an alert's failed deliveries again") { alertId };
        redeliver.SetAction((r, ct) => commands.RedeliverAsync(Global(r), r.GetValue(alertId)!, ct));
        root.Subcommands.Add(redeliver);

        var statusJson = new Option<bool>("--json") { Description = "The status as one JSON object" };
        var status = new Command("status", "Queues, poison queues, last file per lab, rejected files, failed deliveries; exit 1 when something needs a person") { statusJson };
        status.SetAction((r, ct) => new StatusCommand(stdout).RunAsync(Global(r), r.GetValue(statusJson), ct));
        root.Subcommands.Add(status);

        return root;
    }
}

using CarTLabPipeline.Adapters.Local;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Options every command takes.</summary>
internal sealed record GlobalOptions(string? Storage, bool Verbose)
{
    public SessionOptions Session(TriggerMode triggers) => new()
    {
        Storage = Storage,
        Triggers = triggers,
        LogLevel = Verbose ? LogLevel.Information : LogLevel.Warning,
    };
}

/// <summary>The <c>cartlab</c> commands (docs/design.md §8). Results go to stdout, diagnostics and rejections to stderr.</summary>
internal sealed class CartlabCommands(TextWriter stdout, TextWriter stderr)
{
    /// <summary>How long <c>process</c> and <c>demo</c> wait for the pipeline to become idle.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    public async Task<int> EnrollAsync(GlobalOptions global, IReadOnlyList<string> files, CancellationToken ct)
    {
        // The enrollment queues an evaluation of the results already stored (and re-dates open alerts after an infusion
        // date correction): run it, and its notifications, before returning.
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.Queues), ct).ConfigureAwait(false);
        var started = session.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!await EnrollFilesAsync(session, files, ct).ConfigureAwait(false))
        {
            return 1;
        }

        if (!await WaitUntilIdleAsync(session, ct).ConfigureAwait(false))
        {
            return 1;
        }

        var changed = (await LoadAlertsAsync(session, patient: null, ct).ConfigureAwait(false)).Where(a => (a.UpdatedAt ?? a.CreatedAt) >= started).ToList();
        if (changed.Count > 0)
        {
            stdout.WriteLine($"{changed.Count} alert(s) raised, updated or retracted by the evaluation of the stored results:");
            AlertPrinter.Print(stdout, AlertPrinter.Order(changed), json: false);
        }

        return 0;
    }

    /// <summary>
    /// <c>cartlab event add</c>: records a treatment event on an enrolled patient, then runs the re-evaluation it queues (and
    /// its notifications) and prints the alerts it raised, updated or retracted — as <c>enroll</c> does.
    /// </summary>
    public async Task<int> AddEventAsync(GlobalOptions global, string patientId, string kind, string date, int? grade, string? detail, string? note, CancellationToken ct)
    {
        if (!TreatmentEventKinds.TryParse(kind, out var parsedKind))
        {
            stderr.WriteLine($"--kind '{kind}' is not a treatment event kind; use one of {string.Join(", ", TreatmentEventKinds.Names)}.");
            return 1;
        }

        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsedDate))
        {
            stderr.WriteLine($"--date '{date}' is not a calendar date; write it as yyyy-MM-dd (the patient's local date).");
            return 1;
        }

        var treatmentEvent = new TreatmentEvent { Kind = parsedKind, Date = parsedDate, Grade = grade, Detail = detail, Note = note };
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.Queues), ct).ConfigureAwait(false);
        var started = session.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        EventAddResult? result;
        try
        {
            result = await session.Services.GetRequiredService<EnrollmentService>().AddEventAsync(patientId, treatmentEvent, ct).ConfigureAwait(false);
        }
        catch (EnrollmentValidationException ex)
        {
            stderr.WriteLine($"{patientId}: {string.Join("; ", ex.Errors.Select(e => e.ErrorMessage))}");
            return 1;
        }

        if (result is null)
        {
            stderr.WriteLine($"Patient {patientId} is not enrolled: enroll them first ('cartlab enroll FILE').");
            return 1;
        }

        var what = $"{treatmentEvent.KindName} on {parsedDate:yyyy-MM-dd}{(grade is { } g ? $" (grade {g})" : string.Empty)}" +
            $"{(string.IsNullOrWhiteSpace(detail) ? string.Empty : $" ({detail.Trim()})")}";
        stdout.WriteLine(result.Outcome switch
        {
            EventAddOutcome.AlreadyPresent => $"{patientId}: {what} is already recorded; nothing changed.",
            EventAddOutcome.Updated => $"{patientId}: {what} updated ({result.Enrollment.Events.Count} event(s) on record).",
            _ => $"{patientId}: {what} recorded ({result.Enrollment.Events.Count} event(s) on record).",
        });
        if (result.Outcome == EventAddOutcome.AlreadyPresent)
        {
            return 0;
        }

        if (!await WaitUntilIdleAsync(session, ct).ConfigureAwait(false))
        {
            return 1;
        }

        var changed = (await LoadAlertsAsync(session, patientId, ct).ConfigureAwait(false)).Where(a => (a.UpdatedAt ?? a.CreatedAt) >= started).ToList();
        stdout.WriteLine(changed.Count > 0
            ? $"{changed.Count} alert(s) raised, updated or retracted by the re-evaluation:"
            : "The re-evaluation changed no alert.");
        if (changed.Count > 0)
        {
            AlertPrinter.Print(stdout, AlertPrinter.Order(changed), json: false);
        }

        return 0;
    }

    public async Task<int> DropAsync(GlobalOptions global, IReadOnlyList<string> paths, string lab, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.None), ct).ConfigureAwait(false);
        await IngestPathsAsync(session, paths, lab, ct).ConfigureAwait(false);
        stderr.WriteLine("Results are stored; evaluation runs when a host runs the queue triggers ('cartlab serve').");
        return 0;
    }

    public async Task<int> ProcessAsync(GlobalOptions global, IReadOnlyList<string> paths, string lab, bool json, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.Queues), ct).ConfigureAwait(false);
        var started = session.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var reports = await IngestPathsAsync(session, paths, lab, ct).ConfigureAwait(false);
        if (!await WaitUntilIdleAsync(session, ct).ConfigureAwait(false))
        {
            return 1;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            // The results of each file (also of a duplicate): its alerts are the ones to print.
            if (await session.Services.GetRequiredService<ILabFileStore>().GetAsync(report.File, ct).ConfigureAwait(false) is { } source)
            {
                ids.UnionWith(await session.Services.GetRequiredService<LabFileParser>().ResultIdsAsync(source, ct).ConfigureAwait(false));
            }
        }

        var alerts = await LoadAlertsAsync(session, patient: null, ct).ConfigureAwait(false);
        // The alerts these files' results raised, and every alert this run changed (a correction can update or retract an
        // alert, or raise one, resting on results of other files).
        var changed = alerts.Where(a => (a.UpdatedAt ?? a.CreatedAt) >= started).ToList();
        var earlier = alerts.Where(a => !changed.Contains(a) && a.Evidence.Any(e => e.Role == EvidenceRoles.Trigger && ids.Contains(e.ResultId))).ToList();
        if (json || earlier.Count == 0)
        {
            AlertPrinter.Print(stdout, AlertPrinter.Order([.. changed, .. earlier]), json);
            return 0;
        }

        // Say which alerts this run changed, so a re-send that changed nothing reads as such.
        if (changed.Count > 0)
        {
            AlertPrinter.Print(stdout, AlertPrinter.Order(changed), json: false);
        }

        stdout.WriteLine(changed.Count == 0
            ? "No alert changed in this run. The alerts these files' results raised earlier stand unchanged:"
            : "Raised earlier by these files' results, unchanged by this run:");
        stdout.WriteLine();
        AlertPrinter.Print(stdout, AlertPrinter.Order(earlier), json: false);
        return 0;
    }

    public async Task<int> AlertsAsync(GlobalOptions global, string? patient, bool json, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.None), ct).ConfigureAwait(false);
        AlertPrinter.Print(stdout, AlertPrinter.Order(await LoadAlertsAsync(session, patient, ct).ConfigureAwait(false)), json);
        return 0;
    }

    public async Task<int> RejectedAsync(GlobalOptions global, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.None), ct).ConfigureAwait(false);
        var files = session.Services.GetRequiredService<ILabFileStore>();
        var any = false;
        await foreach (var report in files.ListRejectionsAsync(ct).ConfigureAwait(false))
        {
            any = true;
            stdout.WriteLine($"{report.File}  {report.Format.DisplayName()}  {report.Status.ToString().ToLowerInvariant()}: " +
                $"{report.Stored} stored, {report.Rejected} rejected  ({PipelineNames.Containers.Rejected}/{report.File}{BlobLabFileStore.ReportSuffix})");
            foreach (var error in report.Errors.Take(5))
            {
                stdout.WriteLine($"    {error}");
            }

            if (report.Rejected > 5)
            {
                stdout.WriteLine($"    … and {report.Rejected - 5} more");
            }
        }

        if (!any)
        {
            stdout.WriteLine("No rejected files.");
        }

        return 0;
    }

    public async Task<int> ReplayAsync(GlobalOptions global, string name, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.Queues), ct).ConfigureAwait(false);
        var source = await session.Services.GetRequiredService<ILabFileStore>().GetAsync(name, ct).ConfigureAwait(false);
        if (source is null)
        {
            stderr.WriteLine($"No file '{name}' in {PipelineNames.Containers.LabResults}. Upload the corrected file with 'cartlab drop', or give the blob name shown by 'cartlab rejected'.");
            return 1;
        }

        var report = await session.Services.GetRequiredService<LabFileIngestionService>().ReplayAsync(source, ct).ConfigureAwait(false);
        PrintReport(report);
        return await WaitUntilIdleAsync(session, ct).ConfigureAwait(false) ? 0 : 1;
    }

    public async Task<int> MonitorAsync(GlobalOptions global, bool json, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.Queues), ct).ConfigureAwait(false);
        var started = session.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var patients = await session.Services.GetRequiredService<MonitoringService>().RunAsync(ct).ConfigureAwait(false);
        await session.Services.GetRequiredService<Operations.FeedSilenceAlerts>().CheckAsync(ct).ConfigureAwait(false);
        if (!await WaitUntilIdleAsync(session, ct).ConfigureAwait(false))
        {
            return 1;
        }

        stderr.WriteLine($"Monitoring job: {patients} enrolled patient(s) evaluated; lab feeds checked.");
        var changed = (await LoadAlertsAsync(session, null, ct).ConfigureAwait(false))
            .Where(a => a.CreatedAt >= started || a.RetractedAt >= started).ToList();
        AlertPrinter.Print(stdout, AlertPrinter.Order(changed), json);
        return 0;
    }

    public async Task<int> EvaluateAsync(GlobalOptions global, string patientId, DateTimeOffset? asOf, bool json, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.None), ct).ConfigureAwait(false);
        var at = asOf ?? session.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var alerts = await session.Services.GetRequiredService<PatientEvaluationService>().PreviewAsync(patientId, at, ct).ConfigureAwait(false);
        if (alerts is null)
        {
            stderr.WriteLine($"Patient {patientId} is not enrolled.");
            return 1;
        }

        if (!json)
        {
            stdout.WriteLine($"Alerts the rules give for {patientId} as of {at:yyyy-MM-dd HH:mm zzz} (results collected until then; nothing stored or sent):");
            stdout.WriteLine();
        }

        AlertPrinter.Print(stdout, alerts, json);
        return 0;
    }

    /// <summary><c>cartlab timeline</c>: the patient's followed analytes by day since infusion; <c>--png</c> draws them.</summary>
    public async Task<int> TimelineAsync(GlobalOptions global, string patientId, string? png, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.None), ct).ConfigureAwait(false);
        var enrollment = await session.Services.GetRequiredService<IPatientStore>().GetAsync(patientId, ct).ConfigureAwait(false);
        if (enrollment is null)
        {
            stderr.WriteLine($"Patient {patientId} is not enrolled.");
            return 1;
        }

        var history = (await session.Services.GetRequiredService<ILabResultStore>().GetRecordAsync(patientId, ct).ConfigureAwait(false)).Current;
        var rules = session.Services.GetRequiredService<RuleEngine>().Rules;
        var followUp = RuleContext.FollowUps(enrollment)[^1];
        int Day(DateOnly date) => date.DayNumber - followUp.DayZero.DayNumber;
        stdout.WriteLine($"{patientId}: {enrollment.Product}, day 0 = {followUp.DayZero:yyyy-MM-dd} ({followUp.Describe()}, {enrollment.TimeZone}), {history.Count} stored result(s)");
        foreach (var analyte in AnalyteCatalog.All)
        {
            var series = RuleContext.TimeOrder(history.Where(r => r.Analyte == analyte.Analyte && r.IsEvaluable)).ToList();
            if (series.Count > 0)
            {
                stdout.WriteLine($"  {analyte.DisplayName,-30} " + string.Join("  ",
                    series.Select(r => $"{ClinicalText.Day(Day(enrollment.CollectionDate(r)))}: {ClinicalText.Value(r)}")));
            }
        }

        if (enrollment.Events.Count > 0)
        {
            stdout.WriteLine($"  {"Treatment events",-30} " + string.Join("  ",
                enrollment.Events.Select(e => $"{ClinicalText.Day(Day(e.Date))}: {e.Label}")));
        }

        if (png is not null)
        {
            var charts = TrendCharts.ForPatient(enrollment, history, rules);
            if (charts.Count == 0)
            {
                stderr.WriteLine("No followed analyte has values yet: no chart written.");
                return 0;
            }

            var bytes = session.Services.GetRequiredService<ITrendChartRenderer>().RenderPng(charts, 900, 260);
            await File.WriteAllBytesAsync(png, bytes, ct).ConfigureAwait(false);
            stderr.WriteLine($"Wrote {png} ({charts.Count} chart(s), {bytes.Length / 1024} KiB).");
        }

        return 0;
    }

    /// <summary><c>cartlab results</c>: the patient's current record and where every value came from; <c>--versions</c> lists every version.</summary>
    public async Task<int> ResultsAsync(GlobalOptions global, string patientId, bool versions, bool json, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.None), ct).ConfigureAwait(false);
        // The table reads the versions (to say what a withdrawal withdrew) and prints them with --versions; JSON has them only then.
        var view = await session.Services.GetRequiredService<ResultQueryService>().GetAsync(patientId, versions || !json, ct).ConfigureAwait(false);
        if (view is null)
        {
            stderr.WriteLine($"Patient {patientId} is not enrolled.");
            return 1;
        }

        ResultPrinter.Print(stdout, view, json, versions);
        return 0;
    }

    /// <summary><c>cartlab schedule</c>: the patient's follow-up schedule — done, due, overdue, missed and upcoming timepoints.</summary>
    public async Task<int> ScheduleAsync(GlobalOptions global, string patientId, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.None), ct).ConfigureAwait(false);
        var schedule = await session.Services.GetRequiredService<ScheduleQueryService>().GetScheduleAsync(patientId, ct).ConfigureAwait(false);
        if (schedule is null)
        {
            stderr.WriteLine($"Patient {patientId} is not enrolled.");
            return 1;
        }

        stdout.WriteLine($"{patientId}: day 0 = {schedule.FollowUp}; today {schedule.Today:yyyy-MM-dd} is day {ClinicalText.Day(schedule.TodayDay)}.");
        if (!schedule.CarT)
        {
            stdout.WriteLine($"After {schedule.FollowUp} the CAR-T follow-up schedule has ended: the transplant team's schedule applies.");
            return 0;
        }

        if (schedule.FollowedSince is { } since && schedule.Lines.Any(l => l.Status == "missed"))
        {
            stdout.WriteLine($"Followed by the pipeline since {since:yyyy-MM-dd}: windows that closed before are 'missed' (never alerted), later ones 'overdue'.");
        }

        stdout.WriteLine();
        stdout.WriteLine($"{"STATUS",-9} {"TIMEPOINT",-10} {"TEST",-32} WINDOW");
        foreach (var l in schedule.Lines)
        {
            var collected = l.Collected is null ? string.Empty : $"  collected {l.Collected}";
            stdout.WriteLine($"{l.Status,-9} {l.Timepoint,-10} {l.Test,-32} {l.Window}{collected}");
        }

        return 0;
    }

    /// <summary><c>cartlab redeliver</c>: after fixing a channel, sends an alert's failed deliveries again.</summary>
    public async Task<int> RedeliverAsync(GlobalOptions global, string alertId, CancellationToken ct)
    {
        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.Queues), ct).ConfigureAwait(false);
        var reset = await session.Services.GetRequiredService<AlertDispatchService>().RedeliverAsync(alertId, ct).ConfigureAwait(false);
        if (reset == 0)
        {
            stderr.WriteLine($"Alert {alertId} has no failed deliveries (or does not exist): nothing to send.");
            return 1;
        }

        stderr.WriteLine($"{reset} failed delivery(ies) of {alertId} queued again.");
        if (!await WaitUntilIdleAsync(session, ct).ConfigureAwait(false))
        {
            return 1;
        }

        await PrintDeliveriesAsync(session, null, ct, alertId).ConfigureAwait(false);
        return 0;
    }

    public async Task<int> ServeAsync(GlobalOptions global, CancellationToken ct)
    {
        var session = await CartlabSession.StartAsync(global.Session(TriggerMode.All) with { LogLevel = LogLevel.Information }, ct).ConfigureAwait(false);
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            stderr.WriteLine($"cartlab serve: triggers running on {Describe(session)}. Drop files into '{PipelineNames.Containers.LabResults}'. Ctrl+C or SIGTERM stops.");
            await using var http = await LocalHttpApi.StartAsync(session, ct).ConfigureAwait(false);
            stderr.WriteLine($"Workspace: {http.Address}app/ (HTTP API under {http.Address}api/, development identity, loopback only)");
            if (session.Inbox is { } inbox)
            {
                stderr.WriteLine($"Alert emails: {inbox} (MailDev)");
            }

            await session.RunUntilCancelledAsync(ct).ConfigureAwait(false);
            stopping.Restart();
        }
        finally
        {
            // The host first, then the Azurite and MailDev this session started.
            await session.DisposeAsync().ConfigureAwait(false);
        }

        var children = string.Join(" and ", new[] { session.StartedAzurite ? "Azurite" : null, session.StartedMailDev ? "MailDev" : null }.OfType<string>());
        stderr.WriteLine($"cartlab serve: stopped ({ShutdownSignals.Received ?? "cancelled"}) in {stopping.Elapsed.TotalSeconds:0.0} s" +
            (children.Length > 0 ? $"; the {children} it started stopped too." : "."));
        return 0;
    }

    public async Task<int> DemoAsync(GlobalOptions global, string? samplesDirectory, CancellationToken ct)
    {
        var samples = samplesDirectory ?? Path.Combine(LocalNodeService.FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), "samples");
        var patientsDir = Path.Combine(samples, "patients");
        var labDir = Path.Combine(samples, "lab-files");
        if (!Directory.Exists(patientsDir) || !Directory.Exists(labDir))
        {
            stderr.WriteLine($"No samples under {samples} (expected patients/ and lab-files/). Run from the repository, or pass --samples.");
            return 1;
        }

        await using var session = await CartlabSession.StartAsync(global.Session(TriggerMode.Queues), ct).ConfigureAwait(false);
        stdout.WriteLine($"CarTLabPipeline demo on {Describe(session)}");
        stdout.WriteLine();
        stdout.WriteLine("1. Enrolling the sample patients");
        var enrollmentFiles = Directory.GetFiles(patientsDir, "*.json").Order(StringComparer.Ordinal).ToList();
        if (!await EnrollFilesAsync(session, enrollmentFiles, ct).ConfigureAwait(false))
        {
            return 1;
        }

        stdout.WriteLine();
        stdout.WriteLine("2. Dropping the sample lab files");
        await IngestPathsAsync(session, [labDir], "demo-lab", ct, report: stdout).ConfigureAwait(false);

        stdout.WriteLine();
        stdout.WriteLine("3. Waiting for the pipeline to finish (evaluate patients, store alerts, dispatch notifications)");
        if (!await WaitUntilIdleAsync(session, ct).ConfigureAwait(false))
        {
            return 1;
        }

        var patientIds = enrollmentFiles.Select(f => EnrollmentService.Parse(File.ReadAllText(f)).PatientId).ToHashSet(StringComparer.Ordinal);
        var alerts = (await LoadAlertsAsync(session, null, ct).ConfigureAwait(false)).Where(a => patientIds.Contains(a.PatientId)).ToList();
        stdout.WriteLine();
        stdout.WriteLine($"4. Alerts ({alerts.Count})");
        stdout.WriteLine();
        AlertPrinter.Print(stdout, AlertPrinter.Order(alerts), json: false);

        stdout.WriteLine("5. Notifications (from the delivery ledger on each alert row)");
        await PrintDeliveriesAsync(session, patientIds, ct).ConfigureAwait(false);
        stdout.WriteLine();
        stdout.WriteLine("Where to read them:");
        if (session.Inbox is { } inbox)
        {
            var mails = await MailDevClient.CountAsync(inbox, ct).ConfigureAwait(false);
            stdout.WriteLine($"  emails         {inbox} (MailDev: {mails} mail(s) in the inbox)" +
                (session.StartedMailDev ? "; saved under .local/maildev, shown again by 'cartlab serve'" : string.Empty));
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

    /// <summary>Waits for the pipeline to become idle; says so on stderr when it does not within <see cref="IdleTimeout"/>.</summary>
    private async Task<bool> WaitUntilIdleAsync(CartlabSession session, CancellationToken ct)
    {
        if (await session.WaitUntilIdleAsync(IdleTimeout, ct).ConfigureAwait(false))
        {
            return true;
        }

        stderr.WriteLine($"The pipeline did not become idle within {IdleTimeout.TotalMinutes:0} minutes.");
        return false;
    }

    private async Task<bool> EnrollFilesAsync(CartlabSession session, IReadOnlyList<string> files, CancellationToken ct)
    {
        var service = session.Services.GetRequiredService<EnrollmentService>();
        var ok = true;
        foreach (var file in files)
        {
            try
            {
                var enrollment = await service.EnrollAsync(EnrollmentService.Parse(await File.ReadAllTextAsync(file, ct).ConfigureAwait(false)), ct).ConfigureAwait(false);
                stdout.WriteLine($"   enrolled {enrollment.PatientId}: {enrollment.Product}, day 0 = {enrollment.InfusionDate:yyyy-MM-dd} ({enrollment.TimeZone}), " +
                    $"{enrollment.CareTeam.Count} care-team member(s)");
            }
            catch (EnrollmentValidationException ex)
            {
                stderr.WriteLine($"{file}: {ex.Message}");
                ok = false;
            }
            catch (FileNotFoundException)
            {
                stderr.WriteLine($"{file}: no such file");
                ok = false;
            }
        }

        return ok;
    }

    private async Task<List<IngestionReport>> IngestPathsAsync(CartlabSession session, IReadOnlyList<string> paths, string lab,
        CancellationToken ct, TextWriter? report = null)
    {
        var files = session.Services.GetRequiredService<ILabFileStore>();
        var ingestion = session.Services.GetRequiredService<LabFileIngestionService>();
        var reports = new List<IngestionReport>();
        foreach (var (path, relative) in ExpandPaths(paths))
        {
            var blobName = $"{lab}/{relative}";
            ILabFileSource source;
            await using (var content = File.OpenRead(path))
            {
                source = await files.UploadAsync(blobName, content, ct).ConfigureAwait(false);
            }

            // Ingest directly: drop and process must not wait for (or depend on) the polling blob scan.
            var result = await ingestion.IngestAsync(source, ct).ConfigureAwait(false);
            reports.Add(result);
            PrintReport(result, report);
        }

        return reports;
    }

    private void PrintReport(IngestionReport report, TextWriter? output = null)
    {
        var format = report.Format.DisplayName();
        var line = report.Status switch
        {
            IngestionStatus.Duplicate => report.DuplicateOf == report.File
                ? $"   = {report.File} ({format}): unchanged since it was processed"
                : $"   = {report.File} ({format}): same content already processed as {report.DuplicateOf}",
            IngestionStatus.Rejected => $"   ✗ {report.File} ({format}): rejected",
            _ when report.Stored == 0 && report.Rejected == 0 =>
                $"   – {report.File} ({format}): nothing to store" + (report.Skipped > 0 ? $" — {IngestionReportText.Skipped(report)}" : string.Empty),
            _ => $"   {(report.Rejected > 0 ? "!" : "✓")} {report.File} ({format}): {report.Stored} stored, {report.Rejected} rejected, " +
                (report.Skipped > 0 ? IngestionReportText.Skipped(report) : "0 skipped"),
        };
        (output ?? stderr).WriteLine(line);
        foreach (var warning in report.Warnings.Take(10))
        {
            stderr.WriteLine($"     {report.File}: kept, but {warning}");
        }

        if (report.UnknownPatients.Count > 0)
        {
            (output ?? stderr).WriteLine($"     not enrolled (stored, evaluated once enrolled): {string.Join(", ", report.UnknownPatients)}");
        }

        foreach (var error in report.Errors.Take(10))
        {
            stderr.WriteLine($"     {report.File}: {error}");
        }

        if (report.Rejected > 10)
        {
            stderr.WriteLine($"     … {report.Rejected - 10} more; full report: {PipelineNames.Containers.Rejected}/{report.File}{BlobLabFileStore.ReportSuffix}");
        }
    }

    private static IEnumerable<(string Path, string Relative)> ExpandPaths(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var root = Path.GetFullPath(path);
                foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal))
                {
                    yield return (file, Path.GetRelativePath(root, file).Replace('\\', '/'));
                }
            }
            else if (File.Exists(path))
            {
                yield return (path, Path.GetFileName(path));
            }
            else
            {
                throw new FileNotFoundException($"no such file or directory: {path}", path);
            }
        }
    }

    /// <summary>Per channel: deliveries sent, waiting and failed, and to how many recipients (the alert rows are the ledger).</summary>
    private async Task PrintDeliveriesAsync(CartlabSession session, IReadOnlySet<string>? patients, CancellationToken ct, string? alertId = null)
    {
        var deliveries = new List<Delivery>();
        var alertCount = 0;
        await foreach (var row in session.Services.GetRequiredService<IAlertStore>().ListAsync(ct).ConfigureAwait(false))
        {
            if ((patients is null || patients.Contains(row.Alert.PatientId)) && (alertId is null || row.Alert.AlertId == alertId))
            {
                alertCount++;
                deliveries.AddRange(row.Deliveries.Values);
            }
        }

        if (deliveries.Count == 0)
        {
            stdout.WriteLine("   no deliveries recorded");
            return;
        }

        foreach (var channel in deliveries.GroupBy(d => d.Channel).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var sent = channel.Count(d => d.State == DeliveryState.Sent);
            var waiting = channel.Count(d => d.State is DeliveryState.Pending or DeliveryState.Sending);
            var failed = channel.Count(d => d.State == DeliveryState.Failed);
            var recipients = channel.Select(d => d.Recipient).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Count();
            var who = recipients > 0 ? $" to {recipients} recipient(s)" : string.Empty;
            stdout.WriteLine($"   {channel.Key,-12} {sent} sent{who}, {waiting} waiting, {failed} failed ({alertCount} alert(s); " +
                $"{channel.Count(d => d.Event == AlertEvents.Updated && d.State != DeliveryState.Superseded)} update notice(s); " +
                $"{channel.Count(d => d.Event == AlertEvents.Retracted && d.State != DeliveryState.Superseded)} retraction notice(s))");
        }
    }

    private static async Task<List<Alert>> LoadAlertsAsync(CartlabSession session, string? patient, CancellationToken ct)
    {
        var store = session.Services.GetRequiredService<IAlertStore>();
        if (patient is not null)
        {
            return (await store.ListForPatientAsync(patient, ct).ConfigureAwait(false)).Select(a => a.Alert).ToList();
        }

        var list = new List<Alert>();
        await foreach (var a in store.ListAsync(ct).ConfigureAwait(false))
        {
            list.Add(a.Alert);
        }

        return list;
    }

    private static string Describe(CartlabSession session) =>
        Azurite.IsDevelopmentStorage(session.ConnectionString) ? "local Azurite (development storage)" : "the configured storage account";
}

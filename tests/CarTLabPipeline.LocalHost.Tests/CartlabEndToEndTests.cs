using System.Diagnostics;
using System.Text.Json;
using CarTLabPipeline.Adapters.Storage;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.LocalHost;
using CarTLabPipeline.LocalHost.Hosting;
using CarTLabPipeline.LocalHost.Local;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CarTLabPipeline.LocalHost.Tests;

[Trait("Category", "Integration")]
[Collection(CartlabCollection.Name)]
public class CartlabEndToEndTests(CartlabFixture azurite, ITestOutputHelper output)
{
    private static readonly string s_repo = RepositoryPaths.Root;

    [Fact]
    public async Task Serve_BlobUploadedBehindItsBack_EndsAsAlertRowAndLabAlertsMessage()
    {
        // The sweep every 2 s instead of 30 s: whichever of the blob trigger and the sweep sees the files first ingests
        // them (the trigger's polling scan backs off while the container is empty: the sweep usually wins), in seconds.
        var settings = new Dictionary<string, string?>(azurite.Settings) { [ReconciliationTimer.SweepEverySetting] = "00:00:02" };
        await using var session = await CartlabSession.StartAsync(new SessionOptions { Storage = azurite.ConnectionString, Triggers = TriggerMode.All, Settings = settings }, default);
        Assert.False(session.StartedAzurite || session.StartedMailDev); // not the local default: it uses what it is given
        var clients = session.Services.GetRequiredService<StorageClients>();
        await Run("enroll", Path.Combine(s_repo, "samples", "patients", "PT-0001.json"));

        // Upload straight to the container, as a lab's integration engine would: only the triggers can see it.
        foreach (var file in Directory.GetFiles(Path.Combine(s_repo, "samples", "lab-files", "csv"), "2024-0*.csv"))
        {
            await clients.Blobs.GetBlobContainerClient(PipelineNames.Containers.LabResults)
                .GetBlobClient("hospital-lab/" + Path.GetFileName(file)).UploadAsync(file, overwrite: true);
        }

        var alerts = session.Services.GetRequiredService<IAlertStore>();
        var deadline = Stopwatch.StartNew();
        StoredAlert? alert = null;
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && (alert is null || alert.Deliveries.Values.Any(d => d.State != DeliveryState.Sent)))
        {
            await Task.Delay(250);
            alert = (await alerts.ListForPatientAsync("PT-0001", default)).SingleOrDefault(a => a.Alert.RuleId == "igg.low");
        }

        Assert.NotNull(alert);
        Assert.Equal(28, alert.Alert.DayPostInfusion);
        Assert.All(alert.Deliveries.Values, d => Assert.Equal(DeliveryState.Sent, d.State));
        // Every alert of the patient delivered (not the whole account idle: other tests of the class leave retries scheduled).
        while (deadline.Elapsed < TimeSpan.FromSeconds(90)
            && (await alerts.ListForPatientAsync("PT-0001", default)).Any(a => a.Deliveries.Values.Any(d => !d.IsSettled)))
        {
            await Task.Delay(250);
        }

        var messages = await clients.Queues.GetQueueClient(PipelineNames.Queues.LabAlerts).PeekMessagesAsync(32);
        var ids = messages.Value.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement)
            .Where(e => e.GetProperty("applicationProperties").GetProperty("patientId").GetString() == "PT-0001") // tests share the class's Azurite
            .Select(e => e.GetProperty("messageId").GetString()).ToList();
        var stored = await alerts.ListForPatientAsync("PT-0001", default);
        Assert.Contains(alert.Alert.AlertId, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count()); // one message per alert
        Assert.Equal(stored.Select(a => a.Alert.AlertId).Order(), ids.Order());
    }

    [Fact]
    public async Task ProcessJson_PrintsOneAlertPerLineInTheContractShape()
    {
        var enroll = await Run("enroll", Path.Combine(s_repo, "samples", "patients", "PT-0001.json"));
        var result = await Run("process", Path.Combine(s_repo, "samples", "lab-files", "csv"), "--json", "--lab", "process-test");

        Assert.Equal(0, enroll.ExitCode);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var alert = JsonDocument.Parse(Assert.Single(lines, l => l.Contains("\"igg.low\"", StringComparison.Ordinal))).RootElement;
        string[] contract = ["alertId", "patientId", "ruleId", "severity", "title", "summary", "suggestedAction", "dayPostInfusion", "observedAt", "evidence", "status", "createdAt"];
        Assert.All(contract, key => Assert.True(alert.TryGetProperty(key, out _), $"missing {key}"));
        Assert.Equal(("PT-0001", "warning", "open", 28), (alert.GetProperty("patientId").GetString(), alert.GetProperty("severity").GetString(),
            alert.GetProperty("status").GetString(), alert.GetProperty("dayPostInfusion").GetInt32()));
        var evidence = alert.GetProperty("evidence")[0];
        string[] evidenceContract = ["resultId", "analyte", "loinc", "value", "unit", "comparator", "collectedAt", "dayPostInfusion"];
        Assert.All(evidenceContract, key => Assert.True(evidence.TryGetProperty(key, out _), $"missing evidence.{key}"));
        Assert.Equal(JsonValueKind.Null, evidence.GetProperty("comparator").ValueKind);
        Assert.Equal("2024-09-24T08:00:00+02:00", evidence.GetProperty("collectedAt").GetString());
        Assert.Contains("process-test/", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_APatientWithMoreResultsThanTheLimit_SaysInOneLineThatItIsNotEvaluated()
    {
        var (patient, enrollment, csv) = await LowIgGCase.WriteAsync("BIG");
        var limited = new Dictionary<string, string?>(azurite.Settings) { ["Evaluation:MaxRecordVersions"] = "1000" };
        // The case's low IgG in a feed's worth of IgG for the patient, one a minute: 1,001 results in one file.
        var flood = Path.Combine(Path.GetTempPath(), $"{patient}-flood.csv");
        await File.WriteAllLinesAsync(flood, [.. await File.ReadAllLinesAsync(csv),
            .. Enumerable.Range(0, 1_000).Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{patient},{new DateTimeOffset(2024, 8, 28, 8, 0, 0, TimeSpan.FromHours(2)).AddMinutes(i):yyyy-MM-ddTHH:mm:sszzz},igg,{500 + (i % 100)},mg/dL"))]);
        Assert.Equal(0, (await RunWith(limited, "enroll", enrollment)).ExitCode);

        var first = await RunWith(limited, "process", flood, "--lab", "too-large");
        var again = await RunWith(limited, "process", flood, "--lab", "too-large-again"); // the same content: nothing changes

        Assert.Equal((0, 0), (first.ExitCode, again.ExitCode));
        var line = $"   ! {patient} not evaluated: more than 1,000 results on record (Evaluation__MaxRecordVersions); the patient's alerts stand as they were (ops alert ";
        Assert.Single(first.Stderr.Split('\n'), l => l.StartsWith(line, StringComparison.Ordinal));
        Assert.Single(again.Stderr.Split('\n'), l => l.StartsWith(line, StringComparison.Ordinal));
        Assert.Contains($"{patient}  for ops   warning  evaluation.record-too-large", first.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("igg.low", first.Stdout, StringComparison.Ordinal); // the low IgG came with the flood: not evaluated

        // The daily job says so too (a user trial found it saying every patient was evaluated).
        var monitor = await RunWith(limited, "monitor");
        Assert.Equal(0, monitor.ExitCode);
        Assert.Contains(monitor.Stderr.Split('\n'), l => l.StartsWith(line, StringComparison.Ordinal));
        Assert.Contains(" not (below); lab feeds checked.", monitor.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_RelayDown_EndsOnceOnlyRetriesAreLeft_AndSaysTheDeliveriesWaitForARetry()
    {
        var (patient, enrollment, csv) = await LowIgGCase.WriteAsync("RD");
        // A relay that refuses connections: a free loopback port nobody listens on.
        var closed = LocalNodeService.FreePorts(1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var relayDown = new Dictionary<string, string?>(azurite.Settings) { ["Smtp:Port"] = closed };
        Assert.Equal(0, (await Run("enroll", enrollment)).ExitCode);

        var clock = Stopwatch.StartNew();
        var result = await RunWith(relayDown, "process", csv, "--lab", "relay-down");

        // Before: it sat out every back-off (30 s, 60 s, 120 s…) for up to 10 minutes. Now it ends once only the
        // retries are left (a grace of 3 s lets a retry due soon go out) and says what waits and why.
        Assert.Equal(0, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"took {clock.Elapsed}");
        Assert.Contains("igg.low", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\d+ delivery\(ies\) waiting for a retry \(last error: SMTP 127\.0\.0\.1:\d+ unavailable", result.Stderr);
        Assert.Contains("'cartlab serve' sends them when they are due", result.Stderr, StringComparison.Ordinal);
        var listed = await Run("alerts", "--patient", patient, "--json");
        var alert = JsonDocument.Parse(Assert.Single(listed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        var email = Assert.Single(alert.GetProperty("deliveries").EnumerateArray(), d => d.GetProperty("channel").GetString() == "email");
        Assert.Equal("pending", email.GetProperty("state").GetString()); // kept for a later retry, not failed
        Assert.Contains("unavailable", email.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redeliver_AfterTheRelayIsBack_SendsTheFailedDeliveries_ClearsTheirPoison_AndNamesAnIdThatIsNoAlert()
    {
        var (patient, enrollment, csv) = await LowIgGCase.WriteAsync("RV");
        var closed = LocalNodeService.FreePorts(1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var failing = new Dictionary<string, string?>(azurite.Settings) { ["Smtp:Port"] = closed, ["Notifications:MaxAttempts"] = "1" };
        Assert.Equal(0, (await Run("enroll", enrollment)).ExitCode);
        var processed = await RunWith(failing, "process", csv, "--lab", "redeliver");
        Assert.Equal(0, processed.ExitCode);
        // The ops alert's own email fails too (the same relay): two alerts, each with one email that failed for good.
        Assert.Matches(@"2 delivery\(ies\) of 2 alert\(s\) failed for good \(last error: SMTP 127\.0\.0\.1:\d+ unavailable.*\); ops were told \(delivery\.failed\)\. Fix the transport, then 'cartlab redeliver --all'\.", processed.Stderr);
        var listed = (await Run("alerts", "--patient", patient, "--json")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement);
        var alertId = Assert.Single(listed, a => a.GetProperty("ruleId").GetString() == "igg.low").GetProperty("alertId").GetString()!;

        var result = await Run("redeliver", alertId, "no-such-alert");
        var noneError = new StringWriter();
        var none = (ExitCode: await Program.RunAsync(["redeliver", "--storage", azurite.ConnectionString], new StringWriter(), noneError, default, azurite.Settings), Stderr: noneError.ToString());

        Assert.Equal(1, result.ExitCode); // the id that names no alert
        Assert.Contains($"1 failed delivery(ies) of {alertId} queued again; 1 message(s) of it cleared from alert-notifications-poison.", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Alert no-such-alert does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 sent to 1 recipient(s), 0 waiting, 0 failed", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, none.ExitCode);
        Assert.Equal("cartlab: name the alerts to redeliver ('cartlab status' lists those with failed deliveries), or pass --all ('cartlab --help' shows the usage)", none.Stderr.Trim());
    }

    [Fact]
    public async Task Process_RejectedFile_IsReportedOnStderrAndExitsZero()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(bad, "patient_id,collected_at,analyte,value,unit\nPT-X,2024-09-24T08:00:00+02:00,igg,250,furlongs\n");

        var result = await Run("process", bad);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("line 2, field unit: unknown unit 'furlongs' for igg", result.Stderr, StringComparison.Ordinal);
        var rejected = await Run("rejected");
        Assert.Contains(Path.GetFileName(bad), rejected.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_InvalidDocument_ExplainsAndFails()
    {
        var file = Path.Combine(Path.GetTempPath(), $"enroll-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"patientId":"PT 1/2","infusionDate":"2024-08-27","product":"brexu-cel","timeZone":"Mars/Olympus","careTeam":[{"name":"x","email":"not-an-address"}]}""");

        var result = await Run("enroll", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("patientId must be", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("timeZone 'Mars/Olympus'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("careTeam[0].email", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_IngestsAStoredFileAgainEvenThoughItsContentIsKnown_AndExplainsAMissingName()
    {
        var file = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "patient_id,collected_at,analyte,value,unit\nPT-R1,2024-09-24T08:00:00+02:00,igg,250,mg/dL\n");
        await Run("drop", file, "--lab", "replay-lab");

        var again = await Run("drop", file, "--lab", "replay-lab");
        var replay = await Run("replay", $"replay-lab/{Path.GetFileName(file)}");
        var missing = await Run("replay", "replay-lab/no-such-file.csv");

        Assert.Contains("unchanged since it was processed", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, replay.ExitCode);
        Assert.Contains("1 stored, 0 rejected", replay.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No file 'replay-lab/no-such-file.csv'", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultsVersionsJson_ShowsTheCorrectedValueCurrent_AndEveryVersionWithFileAndLine()
    {
        var patient = $"PT-PROV-{Guid.NewGuid():N}"[..16];
        var enrollment = Path.Combine(Path.GetTempPath(), $"{patient}.json");
        await File.WriteAllTextAsync(enrollment, $$"""{"patientId":"{{patient}}","infusionDate":"2024-08-27","product":"brexu-cel","timeZone":"Europe/Rome"}""");
        var csv = Path.Combine(Path.GetTempPath(), $"{patient}-igg.csv");
        await File.WriteAllTextAsync(csv, $"""
            patient_id,collected_at,analyte,value,unit,status,lab,accession,reported_at
            {patient},2024-09-24T08:00:00+02:00,igg,2.8,g/L,final,HOSP-CORE,CL-1,2024-09-24T12:00:00+02:00
            {patient},2024-09-24T08:00:00+02:00,igg,3.1,g/L,corrected,HOSP-CORE,CL-1,2024-09-25T09:30:00+02:00

            """);
        Assert.Equal(0, (await Run("enroll", enrollment)).ExitCode);
        Assert.Equal(0, (await Run("process", csv, "--lab", "provenance")).ExitCode);

        var json = await Run("results", patient, "--versions", "--json");
        var table = await Run("results", patient);
        var unknown = await Run("results", "PT-NOT-ENROLLED");

        Assert.Equal(0, json.ExitCode);
        var result = JsonDocument.Parse(Assert.Single(json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal(("igg", "corrected", "3.1", 310m, 28, false), (result.GetProperty("analyte").GetString(), result.GetProperty("status").GetString(),
            result.GetProperty("originalValue").GetString(), result.GetProperty("value").GetDecimal(), result.GetProperty("dayPostInfusion").GetInt32(),
            result.GetProperty("withdrawn").GetBoolean()));
        var file = $"provenance/{Path.GetFileName(csv)}";
        Assert.Equal([("final", "2.8", file, 2, false), ("corrected", "3.1", file, 3, true)],
            result.GetProperty("versions").EnumerateArray().Select(v => (v.GetProperty("status").GetString(), v.GetProperty("originalValue").GetString(),
                v.GetProperty("sourceFile").GetString(), v.GetProperty("sourceLine").GetInt32(), v.GetProperty("current").GetBoolean())));
        Assert.Equal("2024-09-25T09:30:00+02:00", result.GetProperty("versions")[1].GetProperty("reportedAt").GetString());
        Assert.Contains("3.1 g/L → 310 mg/dL", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("corrected (2 versions)", table.Stdout, StringComparison.Ordinal);
        Assert.Equal((1, "Patient PT-NOT-ENROLLED is not enrolled: check the id, or enroll them first ('cartlab enroll FILE')."), (unknown.ExitCode, unknown.Stderr.Trim()));
    }

    [Fact]
    public async Task EventAdd_RecordsOnce_ReEvaluates_AndRefusesWhatItCannotRead()
    {
        var patient = $"PT-EV-{Guid.NewGuid():N}"[..14];
        var enrollment = Path.Combine(Path.GetTempPath(), $"{patient}.json");
        await File.WriteAllTextAsync(enrollment, $$"""{"patientId":"{{patient}}","infusionDate":"2024-08-27","product":"brexu-cel","timeZone":"Europe/Rome"}""");
        var csv = Path.Combine(Path.GetTempPath(), $"{patient}-igg.csv");
        await File.WriteAllTextAsync(csv, $"patient_id,collected_at,analyte,value,unit\n{patient},2024-10-24T08:00:00+02:00,igg,250,mg/dL\n");
        Assert.Equal(0, (await Run("enroll", enrollment)).ExitCode);
        Assert.Equal(0, (await Run("process", csv, "--lab", "events")).ExitCode);

        var added = await Run("event", "add", patient, "--kind", "immunoglobulin-start", "--date", "2024-09-30", "--detail", "IVIG");
        var again = await Run("event", "add", patient, "--kind", "immunoglobulin-start", "--date", "2024-09-30", "--detail", "ivig");
        var badGrade = await Run("event", "add", patient, "--kind", "vaccination", "--date", "2024-10-01", "--grade", "2");
        var badKind = await Run("event", "add", patient, "--kind", "fever", "--date", "2024-10-01");
        var unknown = await Run("event", "add", "PT-NOT-ENROLLED", "--kind", "crs", "--date", "2024-08-29");
        var timeline = await Run("timeline", patient);

        Assert.Equal(0, added.ExitCode);
        Assert.Contains("immunoglobulin-start on 2024-09-30 (IVIG) recorded (1 event(s) on record)", added.Stdout, StringComparison.Ordinal);
        Assert.Contains("IgG trough below 300 mg/dL on replacement", added.Stdout, StringComparison.Ordinal); // the re-evaluation ran
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("already recorded; nothing changed", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, badGrade.ExitCode);
        Assert.Contains("event.grade is only for crs and icans, not vaccination", badGrade.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, badKind.ExitCode);
        Assert.Contains("use one of bridging-therapy,", badKind.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("+34: Ig start (IVIG)", timeline.Stdout, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) => RunWith(azurite.Settings, args);

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunWith(IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var clock = Stopwatch.StartNew();
        var code = await Program.BuildCommand(stdout, stderr, settings).Parse([.. args, "--storage", azurite.ConnectionString]).InvokeAsync();
        output.WriteLine($"cartlab {string.Join(' ', args)} → exit {code} in {clock.Elapsed.TotalSeconds:0.0} s\n{stderr}");
        return (code, stdout.ToString(), stderr.ToString());
    }
}

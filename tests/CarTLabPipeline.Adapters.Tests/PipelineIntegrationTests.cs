using System.Text;
using System.Text.Json;
using CarTLabPipeline.Adapters.Tests.Contracts;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Adapters.Tests;

[Trait("Category", "Integration")]
[Collection(AzuriteCollection.Name)]
public class PipelineIntegrationTests(AzuriteFixture azurite)
{
    private static string IgGFile(string patientId) => $"""
        patient_id,collected_at,analyte,value,unit,accession
        {patientId},2024-08-22T08:00:00+02:00,igg,452,mg/dL,A-1
        {patientId},2024-09-24T08:00:00+02:00,igg,2.8,g/L,A-2
        {patientId},2024-11-26T08:00:00+01:00,igg,241,mg/dL,A-3
        """;

    [Fact]
    public async Task CsvDrop_StoresResultsRaisesOneAlertAndPublishesIt()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        await h.EnrollAsync("PT-INT-1");

        var report = await h.DropAsync("lab-a/PT-INT-1.csv", IgGFile("PT-INT-1"));
        await h.DrainAsync();

        Assert.Equal((IngestionStatus.Processed, 3, 0), (report.Status, report.Stored, report.Rejected));
        Assert.Equal(3, (await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-1", default)).Count);
        var stored = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-INT-1", default));
        Assert.Equal(("igg.low", 28, AlertStatus.Open), (stored.Alert.RuleId, stored.Alert.DayPostInfusion, stored.Alert.Status));
        Assert.Equal(DeliveryState.Sent, Assert.Single(stored.Deliveries.Values).State);

        var envelope = Assert.Single(await h.PeekLabAlertsAsync("PT-INT-1"));
        Assert.Equal(stored.Alert.AlertId, envelope.GetProperty("messageId").GetString());
        Assert.Equal("igg.low", envelope.GetProperty("subject").GetString());
        Assert.Equal("application/json", envelope.GetProperty("contentType").GetString());
        Assert.Equal("warning", envelope.GetProperty("applicationProperties").GetProperty("severity").GetString());
        var body = envelope.GetProperty("body");
        Assert.Equal(stored.Alert.AlertId, body.GetProperty("alertId").GetString());
        Assert.Equal(280m, body.GetProperty("evidence")[0].GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task ReUpload_SameContentUnderAnyName_DuplicatesNoResultAlertOrMessage()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        await h.EnrollAsync("PT-INT-2");
        await h.DropAsync("lab-a/first.csv", IgGFile("PT-INT-2"));
        await h.DrainAsync();

        var again = await h.DropAsync("lab-a/first.csv", IgGFile("PT-INT-2"));
        var renamed = await h.DropAsync("lab-b/renamed.csv", IgGFile("PT-INT-2"));
        await h.DrainAsync();

        Assert.Equal(IngestionStatus.Duplicate, again.Status);
        Assert.Equal((IngestionStatus.Duplicate, "lab-a/first.csv"), (renamed.Status, renamed.DuplicateOf));
        Assert.Equal(3, (await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-2", default)).Count);
        Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-INT-2", default));
        Assert.Single(await h.PeekLabAlertsAsync("PT-INT-2"));
    }

    [Fact]
    public async Task RedeliveredMessages_SendNothingTwice()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        await h.EnrollAsync("PT-INT-3");
        await h.DropAsync("lab-a/PT-INT-3.csv", IgGFile("PT-INT-3"));
        await h.DrainAsync();
        var alert = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-INT-3", default)).Alert;

        // The same evaluation and notification delivered again (at-least-once delivery).
        var evaluation = await h.Get<CarTLabPipeline.Evaluation.PatientEvaluationService>().EvaluateAsync("PT-INT-3", default);
        var dispatch = await h.Get<AlertDispatchService>().HandleMessageAsync(PipelineJson.Serialize(new NotificationRequest(alert.AlertId, "PT-INT-3")), default);
        var byIdOnly = await h.Get<AlertDispatchService>().HandleMessageAsync($$"""{"alertId":"{{alert.AlertId}}"}""", default);
        await h.DrainAsync();

        Assert.Equal((0, 0, 1), (evaluation.Raised, evaluation.Retracted, evaluation.Unchanged));
        Assert.Equal((0, 1), (dispatch.Sent, dispatch.AlreadyDone));
        Assert.Equal(0, byIdOnly.Sent);
        Assert.Single(await h.PeekLabAlertsAsync("PT-INT-3"));
    }

    [Fact]
    public async Task FileWithBadRows_StoresTheGoodOnesAndRecordsTheErrors()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        const string content = """
            patient_id,collected_at,analyte,value,unit
            PT-INT-4,2024-09-24T08:00:00+02:00,igg,280,mg/dL
            PT-INT-4,2024-09-25T08:00:00+02:00,igg,abc,mg/dL
            PT-INT-4,2024-09-26T08:00:00+02:00,igg,250,mmol/L
            PT-INT-4,2024-09-27T08:00:00+02:00,anc,1.1,10^9/L
            """;

        var report = await h.DropAsync("lab-a/partial.csv", content);

        Assert.Equal((IngestionStatus.Partial, 2, 2), (report.Status, report.Stored, report.Rejected));
        Assert.Equal([3, 4], report.Errors.Select(e => e.Line!.Value));
        Assert.Equal(2, (await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-4", default)).Count);
        Assert.Equal(["PT-INT-4"], report.UnknownPatients);
        var errors = await ReadRejectedAsync(h, "lab-a/partial.csv.errors.json");
        Assert.Equal("partial", errors.GetProperty("status").GetString());
        Assert.Equal(4, errors.GetProperty("errors")[1].GetProperty("line").GetInt32());
        Assert.Contains("unknown unit 'mmol/L'", errors.GetProperty("errors")[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        var ledger = await h.Get<IFileLedger>().GetAsync(report.ContentSha256, default);
        Assert.Equal((IngestionStatus.Partial, 2), (ledger!.Status, ledger.Rejected));
    }

    [Fact]
    public async Task FileThatIsNotCsv_LandsInRejectedWithItsReport()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);

        var report = await h.DropAsync("lab-a/notes.txt", "Dear lab team,\nplease find attached…\n");

        Assert.Equal((IngestionStatus.Rejected, LabFileFormat.Unknown, 0), (report.Status, report.Format, report.Stored));
        var copy = await h.Clients.Blobs.GetBlobContainerClient(PipelineNames.Containers.Rejected).GetBlobClient("lab-a/notes.txt").DownloadContentAsync();
        Assert.StartsWith("Dear lab team", copy.Value.Content.ToString(), StringComparison.Ordinal);
        var errors = await ReadRejectedAsync(h, "lab-a/notes.txt.errors.json");
        Assert.Equal("lab-a/notes.txt", errors.GetProperty("file").GetString());
        Assert.Contains("not a recognised lab file", errors.GetProperty("errors")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_IngestsBlobsNoTriggerSaw_AndOnlyOnce()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        var container = h.Clients.Blobs.GetBlobContainerClient(PipelineNames.Containers.LabResults);
        for (var i = 0; i < 5; i++)
        {
            var csv = $"patient_id,collected_at,analyte,value,unit\nPT-INT-5,2024-09-{10 + i}T08:00:00+02:00,igg,{300 + i},mg/dL\n";
            await container.GetBlobClient($"burst/{i}.csv").UploadAsync(BinaryData.FromString(csv));
        }

        var first = await h.Get<ReconciliationService>().SweepAsync(default);
        var second = await h.Get<ReconciliationService>().SweepAsync(default);

        Assert.Equal(5, first.Count(r => r.File.StartsWith("burst/", StringComparison.Ordinal)));
        Assert.Empty(second);
        Assert.Equal(5, (await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-5", default)).Count);
    }

    [Fact]
    public async Task ResultStore_ResultsOfTwoPatientsInOneCall_AreRefused()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        var a = new LabResult
        {
            ResultId = "a",
            PatientId = "PT-A",
            Analyte = Analyte.IgG,
            Loinc = "2465-3",
            Value = 1,
            Unit = "mg/dL",
            OriginalValue = "1",
            OriginalUnit = "mg/dL",
            CollectedAt = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Status = ResultStatus.Final,
            SourceFile = "x",
        };

        await Assert.ThrowsAsync<ArgumentException>(() => h.Get<ILabResultStore>().UpsertAsync("PT-A", [a, a with { ResultId = "b", PatientId = "PT-B" }], default));
    }

    [Fact]
    public async Task LateEnrollment_EvaluatesTheResultsAlreadyStored()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        await h.DropAsync("lab-a/early.csv", IgGFile("PT-INT-6"));
        await h.DropAsync("lab-a/early-2.csv", IgGFile("PT-INT-6") + "\nPT-INT-6,2024-12-26T08:00:00+01:00,igg,250,mg/dL,A-4");
        await h.DrainAsync();
        var ops = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-INT-6", default)).Alert;
        Assert.Equal(("ingest.unknown-patient", AlertAudience.Ops), (ops.RuleId, ops.Audience));
        Assert.Contains("3 result(s) for patient id PT-INT-6 arrived in lab-a/early.csv", ops.Summary, StringComparison.Ordinal);

        await h.EnrollAsync("PT-INT-6");
        await h.DrainAsync();

        var alerts = (await h.Get<IAlertStore>().ListForPatientAsync("PT-INT-6", default)).Select(a => a.Alert).ToList();
        Assert.Equal(AlertStatus.Open, Assert.Single(alerts, a => a.RuleId == "igg.low").Status);
        var retracted = Assert.Single(alerts, a => a.RuleId == "ingest.unknown-patient");
        Assert.Equal((AlertStatus.Retracted, "the patient has been enrolled"), (retracted.Status, retracted.RetractionReason));
        Assert.Equal(3, (await h.PeekLabAlertsAsync("PT-INT-6")).Count); // unknown patient raised + retracted, igg.low raised
    }

    [Fact]
    public async Task CorrectedResult_RetractsTheAlertItRaisedAndNotifiesTheRetraction()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        await h.EnrollAsync("PT-INT-7");
        await h.DropAsync("lab-a/PT-INT-7.csv", IgGFile("PT-INT-7"));
        await h.DrainAsync();
        var first = Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-INT-7", default)).Alert;
        Assert.Equal(28, first.DayPostInfusion);

        // The lab corrects the day +28 IgG: 2.8 g/L was 3.2 g/L.
        await h.DropAsync("lab-a/PT-INT-7-correction.csv", """
            patient_id,collected_at,analyte,value,unit,status,accession
            PT-INT-7,2024-09-24T08:00:00+02:00,igg,3.2,g/L,corrected,A-2
            """);
        await h.DrainAsync();

        var alerts = (await h.Get<IAlertStore>().ListForPatientAsync("PT-INT-7", default)).Select(a => a.Alert).ToList();
        var retracted = Assert.Single(alerts, a => a.AlertId == first.AlertId);
        Assert.Equal(AlertStatus.Retracted, retracted.Status);
        Assert.StartsWith("the lab corrected the IgG result of 2024-09-24 (day +28) from 280 mg/dL to 320 mg/dL; the condition still holds — a new alert replaces it: IgG 241 mg/dL on day +91",
            retracted.RetractionReason, StringComparison.Ordinal);
        Assert.Equal(91, Assert.Single(alerts, a => a.Status == AlertStatus.Open).DayPostInfusion); // 241 mg/dL on day +91
        var events = (await h.PeekLabAlertsAsync("PT-INT-7")).ToDictionary(e => e.GetProperty("messageId").GetString()!);
        var reopened = Assert.Single(alerts, a => a.Status == AlertStatus.Open).AlertId;
        Assert.Equal(new[] { first.AlertId, first.AlertId + "-retracted-2", reopened }.Order(), events.Keys.Order()); // no order between alerts
        Assert.Equal("retracted", events[first.AlertId + "-retracted-2"].GetProperty("applicationProperties").GetProperty("event").GetString());
        Assert.Equal("retracted", events[first.AlertId + "-retracted-2"].GetProperty("body").GetProperty("status").GetString());
        var stored = (await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-7", default)).Single(r => r.Status == ResultStatus.Corrected);
        Assert.Equal(320m, stored.Value);
    }

    [Fact]
    public async Task QueueMessages_GoodOnesAreStoredOnceAndBadOnesPoisonedWithAReason()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        await h.EnrollAsync("PT-INT-8");
        const string Good = """{"patientId":"PT-INT-8","collectedAt":"2024-09-24T08:00:00+02:00","analyte":"igg","value":2.8,"unit":"g/L","accession":"Q-1"}""";

        await h.PostAsync(Good);
        await h.PostAsync(Good); // re-delivered
        await h.PostAsync("""{"patientId":"PT-INT-8","collectedAt":"2024-09-25T08:00:00+02:00","analyte":"igg","value":"250","unit":"furlongs"}""");
        await h.PostAsync("this is not json");
        await h.DrainAsync();

        Assert.Equal(280m, Assert.Single(await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-8", default)).Value);
        Assert.Equal("igg.low", Assert.Single(await h.Get<IAlertStore>().ListForPatientAsync("PT-INT-8", default)).Alert.RuleId);
        var poison = (await h.Clients.Queues.GetQueueClient(InboundResultService.PoisonQueue).PeekMessagesAsync(32)).Value
            .Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("reason").GetString()).ToList();
        Assert.Contains(poison, r => r!.Contains("unknown unit 'furlongs' for igg", StringComparison.Ordinal));
        Assert.Contains(poison, r => r!.StartsWith("not JSON", StringComparison.Ordinal));

        // Ops are told once per poisoned message, without the values, apart from any patient's alerts.
        var ops = (await h.Get<IAlertStore>().ListForPatientAsync(PoisonMessageAlerts.OpsPartition, default))
            .Where(a => a.Alert.RuleId == PoisonMessageAlerts.RuleId).ToList();
        Assert.True(ops.Count >= 2);
        Assert.All(ops, a => Assert.Equal(AlertAudience.Ops, a.Alert.Audience));
        Assert.Contains(ops, a => a.Alert.Summary.Contains("its unit could not be read", StringComparison.Ordinal));
        Assert.DoesNotContain(ops, a => a.Alert.Summary.Contains("furlongs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MalformedHl7AndFhir_KeepTheValidRestAndReportWhereAndWhy()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        var hl7 = "MSH|^~\\&|LIS|LAB|||20250101||ORU^R01|M1|P|2.5.1\rPID|1||PT-INT-9^^^H^MR\rOBR|1||F1|X|||20241001080000+0200\r" +
                  "OBX|1|NM|2465-3^IgG^LN||250|mg/dL|||||F\rOBX|2|NM|751-8^ANC^LN||abc|10*3/uL|||||F\rOBX|3|SN|718-7^Hb^LN||1^-^5|g/dL|||||F\r";

        var hl7Report = await h.DropAsync("lab-h/broken.hl7", hl7);
        var fhirReport = await h.DropAsync("lab-f/broken.json", """{"resourceType":"Bundle","entry":[{"resource":""");

        Assert.Equal((IngestionStatus.Partial, LabFileFormat.Hl7v2, 1, 2), (hl7Report.Status, hl7Report.Format, hl7Report.Stored, hl7Report.Rejected));
        Assert.Equal(["OBX[2] of message M1", "OBX[3] of message M1"], hl7Report.Errors.Select(e => e.Segment));
        Assert.Equal(250m, Assert.Single(await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-9", default)).Value);
        Assert.Equal((IngestionStatus.Rejected, LabFileFormat.FhirJson), (fhirReport.Status, fhirReport.Format));
        Assert.StartsWith("malformed JSON", Assert.Single(fhirReport.Errors).Reason, StringComparison.Ordinal);
        var report = await ReadRejectedAsync(h, "lab-h/broken.hl7.errors.json");
        Assert.Equal("hl7v2", report.GetProperty("format").GetString());
    }

    [Fact]
    public async Task Sweep_DoesNotReingestFilesTheTriggerHandled_WhenTheLedgerAndTheListingSpellTheETagDifferently()
    {
        // Found by the load run: 292 ingestion runs for 200 files. The trigger's source carries the header's ETag ("0x…"),
        // the listing the bare one (0x…): every triggered file looked unhandled to the sweep, which ingested it again,
        // concurrently with the trigger ("Resuming … did not finish").
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        var store = h.Get<ILabFileStore>();
        var ingestion = h.Get<LabFileIngestionService>();
        for (var i = 0; i < 3; i++)
        {
            var csv = $"patient_id,collected_at,analyte,value,unit\nPT-INT-12,2024-09-{10 + i}T08:00:00+02:00,igg,{300 + i},mg/dL\n";
            await store.UploadAsync($"etag/{i}.csv", new MemoryStream(Encoding.UTF8.GetBytes(csv)), default);
            var triggered = await store.GetAsync($"etag/{i}.csv", default); // as the blob trigger and the Event Grid handler see it
            Assert.Equal(IngestionStatus.Processed, (await ingestion.IngestAsync(triggered!, default)).Status);
        }

        var handled = await h.Get<IFileLedger>().GetHandledBlobsAsync(default);
        var listed = await store.ListAsync(default).FirstAsync(b => b.Name == "etag/0.csv");
        Assert.True(ETags.Same(handled["etag/0.csv"], listed.ETag));

        var swept = await h.Get<ReconciliationService>().SweepAsync(default);

        Assert.DoesNotContain(swept, r => r.File.StartsWith("etag/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CsvWithA40000CharacterMethod_RejectsThatRow_StoresTheOthers_AndTheLedgerRowFits()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        var huge = new string('x', 40_000);
        var content = $"""
            patient_id,collected_at,analyte,value,unit,method,accession
            PT-INT-10,2024-09-24T08:00:00+02:00,igg,280,mg/dL,nephelometry,L-1
            PT-INT-10,2024-09-25T08:00:00+02:00,igg,290,mg/dL,{huge},L-2
            PT-INT-10,2024-09-26T08:00:00+02:00,igg,300,mg/dL,nephelometry,L-3
            PT-INT-11,2024-09-26T08:00:00+02:00,igg,310,mg/dL,,L-4
            """;

        var report = await h.DropAsync("lab-a/long-method.csv", content);

        Assert.Equal((IngestionStatus.Partial, 3, 1), (report.Status, report.Stored, report.Rejected));
        var error = Assert.Single(report.Errors);
        Assert.Equal((3, "method"), (error.Line, error.Field));
        Assert.Contains("40000 characters", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxxxxxxxx", error.Reason, StringComparison.Ordinal);
        Assert.Equal([280m, 300m], (await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-10", default)).Select(r => r.Value!.Value).Order());
        Assert.Single(await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-11", default));

        var ledger = await h.Get<IFileLedger>().GetAsync(report.ContentSha256, default);
        Assert.Equal(IngestionStatus.Partial, ledger!.Status);
        var row = await h.Clients.Tables.GetTableClient(PipelineNames.Tables.IngestedFiles)
            .GetEntityAsync<Azure.Data.Tables.TableEntity>("content", report.ContentSha256);
        Assert.All(row.Value.Keys, k => Assert.True(row.Value[k] is not string v || v.Length <= 32 * 1024, k));
        var rejected = await ReadRejectedAsync(h, "lab-a/long-method.csv.errors.json");
        Assert.Equal("method", rejected.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task ProcessingClaims_OnTheTableLedger_FreshOneWaits_StaleOneIsTakenOverOnce()
    {
        await using var h = await PipelineHarness.CreateAsync(azurite.ConnectionString);
        var ledger = h.Get<IFileLedger>();
        var now = h.Get<TimeProvider>().GetUtcNow();
        var fresh = IgGFile("PT-INT-13");
        var stale = IgGFile("PT-INT-14");
        await ledger.TryBeginAsync(Claim("lab-a/fresh.csv", fresh, now - TimeSpan.FromSeconds(10)), default);
        var staleClaim = Claim("lab-a/stale.csv", stale, now - TimeSpan.FromMinutes(11));
        await ledger.TryBeginAsync(staleClaim, default);

        var waiting = await h.DropAsync("lab-a/fresh.csv", fresh);
        var resumed = await h.DropAsync("lab-a/stale.csv", stale);

        Assert.Equal(IngestionStatus.Processing, waiting.Status);
        Assert.Empty(await h.Get<ILabResultStore>().GetVersionsAsync("PT-INT-13", default));
        Assert.Equal((IngestionStatus.Processed, 2, 3), (resumed.Status, resumed.Attempts, resumed.Stored));
        Assert.Equal((IngestionStatus.Processed, 2), ((await ledger.GetAsync(resumed.ContentSha256, default))!.Status, resumed.Attempts));

        // The take-over is conditional: of two attempts replacing the same claim, the second loses.
        var claim = Claim("lab-a/race.csv", "race", now - TimeSpan.FromMinutes(20));
        await ledger.TryBeginAsync(claim, default);
        Assert.True(await ledger.TryReplaceClaimAsync(claim, claim with { Attempts = 2, StartedAt = now }, default));
        Assert.False(await ledger.TryReplaceClaimAsync(claim, claim with { Attempts = 2, StartedAt = now.AddSeconds(1) }, default));
    }

    private static IngestionReport Claim(string file, string content, DateTimeOffset startedAt) => new()
    {
        File = file,
        ContentSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(content))),
        Status = IngestionStatus.Processing,
        StartedAt = startedAt,
        Attempts = 1,
    };

    private static async Task<JsonElement> ReadRejectedAsync(PipelineHarness h, string name)
    {
        var blob = await h.Clients.Blobs.GetBlobContainerClient(PipelineNames.Containers.Rejected).GetBlobClient(name).DownloadContentAsync();
        return JsonDocument.Parse(Encoding.UTF8.GetString(blob.Value.Content.ToArray())).RootElement.Clone();
    }
}

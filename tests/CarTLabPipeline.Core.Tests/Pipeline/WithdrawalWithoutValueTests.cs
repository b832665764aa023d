using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Results;
using CarTLabPipeline.Testing.InMemory;

namespace CarTLabPipeline.Core.Tests.Pipeline;

/// <summary>
/// A cancellation needs neither a value nor a collection time when it names the result (user-test finding): a minimal
/// HL7 OBX-11 X/D and a minimal FHIR entered-in-error withdraw the result and retract its alert, and the result keeps the
/// collection time it had.
/// </summary>
public class WithdrawalWithoutValueTests
{
    private const string Patient = "PT-T1";
    private static readonly DateTimeOffset s_collected = new(2024, 9, 25, 8, 0, 0, TimeSpan.FromHours(2));

    private static string Hl7(string messageTime, string obr, string obx) =>
        $"MSH|^~\\&|LIS|HOSP|CARTLAB|HOSP|{messageTime}||ORU^R01^ORU_R01|M{messageTime}|P|2.5.1\r" +
        $"PID|1||{Patient}^^^HOSP^MR\r{obr}\r{obx}\r";

    private const string FinalHl7Obr = "OBR|1||F1|CBC^CBC^L|||20240925080000+0200";
    private const string FinalHl7Obx = "OBX|1|NM|777-3^Platelets^LN||12|10*9/L|||||F";

    private static string Fhir(string status, string rest) =>
        $$"""{"resourceType":"Observation","status":"{{status}}","code":{"coding":[{"system":"http://loinc.org","code":"777-3"}]},"subject":{"reference":"Patient/{{Patient}}"}{{rest}}}""";

    private const string Identifier = ""","identifier":[{"system":"urn:lab:results","value":"R-1"}]""";

    private static async Task<InMemoryPipeline> StartAsync()
    {
        var pipeline = new InMemoryPipeline();
        await pipeline.EnrollAsync(Patient);
        return pipeline;
    }

    private static async Task DropAsync(InMemoryPipeline pipeline, string name, string content)
    {
        var report = await pipeline.DropAsync(name, content);
        Assert.Empty(report.Errors);
        Assert.Equal(1, report.Stored);
        await pipeline.RunAsync();
    }

    private static async Task AssertWithdrawnKeepingItsCollectionTime(InMemoryPipeline pipeline, DateTimeOffset messageTime)
    {
        Assert.Equal(AlertStatus.Retracted, Assert.Single(pipeline.Alerts.All(), a => a.Alert.RuleId == "plt.severe-thrombocytopenia").Alert.Status);
        var view = (await pipeline.Get<ResultQueryService>().GetAsync(Patient, includeVersions: true, default)).Value!;
        var result = Assert.Single(view.Results);
        Assert.True(result.Withdrawn);
        Assert.Equal((s_collected, CollectionTimeKind.Instant, 29), (result.CollectedAt, result.CollectedAtKind, result.DayPostInfusion));
        var withdrawal = result.Versions![^1];
        Assert.Equal((ResultStatus.Cancelled, CollectionTimeKind.MessageTime, messageTime), (withdrawal.Status, withdrawal.CollectedAtKind, withdrawal.CollectedAt));
    }

    [Theory]
    [InlineData("X")]
    [InlineData("D")]
    public async Task MinimalHl7Cancellation_NoValueNoTime_WithdrawsTheResultAndRetractsTheAlert(string status)
    {
        await using var pipeline = await StartAsync();
        await DropAsync(pipeline, "lab/final.hl7", Hl7("20240925100000+0200", FinalHl7Obr, FinalHl7Obx));
        Assert.Equal(AlertStatus.Open, Assert.Single(pipeline.Alerts.All()).Alert.Status);

        await DropAsync(pipeline, "lab/cancel.hl7", Hl7("20240926090000+0200", "OBR|1||F1|CBC^CBC^L", $"OBX|1|NM|777-3^Platelets^LN||||||||{status}"));

        await AssertWithdrawnKeepingItsCollectionTime(pipeline, new DateTimeOffset(2024, 9, 26, 9, 0, 0, TimeSpan.FromHours(2)));
    }

    [Fact]
    public async Task MinimalFhirEnteredInError_IdentifierOnly_WithdrawsTheResultAndRetractsTheAlert()
    {
        await using var pipeline = await StartAsync();
        await DropAsync(pipeline, "lab/final.json", Fhir("final", Identifier + ""","effectiveDateTime":"2024-09-25T08:00:00+02:00","issued":"2024-09-25T10:00:00+02:00","valueQuantity":{"value":12,"code":"10*9/L"}"""));

        await DropAsync(pipeline, "lab/cancel.json", Fhir("entered-in-error", Identifier + ""","issued":"2024-09-26T09:00:00+02:00" """));

        await AssertWithdrawnKeepingItsCollectionTime(pipeline, new DateTimeOffset(2024, 9, 26, 9, 0, 0, TimeSpan.FromHours(2)));
    }

    [Fact]
    public async Task FhirEnteredInError_InABundle_TakesTheDiagnosticReportsEffective_BeforeIssued()
    {
        await using var pipeline = await StartAsync();
        await DropAsync(pipeline, "lab/final.json", Fhir("final", Identifier + ""","effectiveDateTime":"2024-09-25T08:00:00+02:00","valueQuantity":{"value":12,"code":"10*9/L"}"""));
        var bundle = """{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:9b1c4f7e-0d2a-4e51-a3c2-6f1e2d3c4b5a","resource":{"resourceType":"DiagnosticReport","status":"final","code":{"text":"CBC"},"effectiveDateTime":"2024-09-25T08:00:00+02:00","issued":"2024-09-26T09:00:00+02:00","result":[{"reference":"urn:uuid:1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}]}},"""
            + """{"fullUrl":"urn:uuid:1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f","resource":""" + Fhir("entered-in-error", Identifier) + "}]}";

        await DropAsync(pipeline, "lab/cancel.json", bundle);

        var view = (await pipeline.Get<ResultQueryService>().GetAsync(Patient, includeVersions: true, default)).Value!;
        var withdrawal = Assert.Single(view.Results).Versions![^1];
        Assert.Equal((CollectionTimeKind.Instant, s_collected), (withdrawal.CollectedAtKind, withdrawal.CollectedAt)); // a collection time: the report's
        Assert.Equal(AlertStatus.Retracted, Assert.Single(pipeline.Alerts.All()).Alert.Status);
    }

    [Fact]
    public void Hl7CancellationWithoutTime_FallsBackOBX14ThenOBR7ThenMsh7()
    {
        var obx14 = Ingested(Hl7("20240926090000+0200", "OBR|1||F1|CBC^CBC^L|||20240925070000+0200", "OBX|1|NM|777-3^Platelets^LN||||||||X|||20240925080000+0200"));
        var obr7 = Ingested(Hl7("20240926090000+0200", "OBR|1||F1|CBC^CBC^L|||20240925070000+0200", "OBX|1|NM|777-3^Platelets^LN||||||||X"));
        var msh7 = Ingested(Hl7("20240926090000+0200", "OBR|1||F1|CBC^CBC^L", "OBX|1|NM|777-3^Platelets^LN||||||||X"));

        Assert.Equal((8, CollectionTimeKind.Instant), (obx14.CollectedAt.Hour, obx14.CollectedAtKind));
        Assert.Equal((7, CollectionTimeKind.Instant), (obr7.CollectedAt.Hour, obr7.CollectedAtKind));
        Assert.Equal((9, CollectionTimeKind.MessageTime), (msh7.CollectedAt.Hour, msh7.CollectedAtKind));
        Assert.Equal(obx14.ResultId, msh7.ResultId); // one identity: the order number
    }

    private static LabResult Ingested(string text)
    {
        var (stored, errors, _, _) = IngestionHarness.IngestText(text);
        Assert.Empty(errors);
        return Assert.Single(stored);
    }

    [Fact]
    public void Hl7CancellationWithoutTimeOrOrderNumber_IsRejected_SayingAnAccessionIsNeeded()
    {
        var (stored, errors, _, _) = IngestionHarness.IngestText(Hl7("20240926090000+0200", "OBR|1|||CBC^CBC^L", "OBX|1|NM|777-3^Platelets^LN||||||||X"));

        Assert.Empty(stored);
        Assert.Contains("needs the lab's order number (OBR-3, ORC-3 or OBR-2)", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FhirEnteredInErrorWithoutTimeOrIdentifier_IsRejected_SayingAnIdentifierIsNeeded()
    {
        var (stored, errors, _, _) = IngestionHarness.IngestText(Fhir("entered-in-error", ""","issued":"2024-09-26T09:00:00+02:00" """));

        Assert.Empty(stored);
        Assert.Contains("needs the lab's identifier of the result", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FhirEnteredInErrorWithNoTimeAtAll_IsRejected_NamingIssued()
    {
        var (stored, errors, _, _) = IngestionHarness.IngestText(Fhir("entered-in-error", Identifier));

        Assert.Empty(stored);
        Assert.Contains("issued", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FinalWithoutCollectionTime_IsStillRejected_TheMessageTimeStandsInForWithdrawalsOnly()
    {
        var hl7 = IngestionHarness.IngestText(Hl7("20240926090000+0200", "OBR|1||F1|CBC^CBC^L", "OBX|1|NM|777-3^Platelets^LN||12|10*9/L|||||F"));
        var fhir = IngestionHarness.IngestText(Fhir("final", Identifier + ""","issued":"2024-09-26T09:00:00+02:00","valueQuantity":{"value":12,"code":"10*9/L"}"""));

        Assert.Contains("no collection time", Assert.Single(hl7.Errors).Reason, StringComparison.Ordinal);
        Assert.Contains("no collection time", Assert.Single(fhir.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalizer_RefusesAMessageTimeOnAnythingButANamedWithdrawal()
    {
        var normalizer = TestData.Normalizer();
        RawResult Raw(string status, string? accession) => new()
        {
            PatientId = Patient,
            AnalyteCode = "plt",
            ValueText = string.Empty,
            CollectedAtText = "2024-09-26T09:00:00+02:00",
            CollectedAtIsMessageTime = true,
            StatusText = status,
            Accession = accession,
        };

        Assert.Equal(CollectionTimeKind.MessageTime, normalizer.Normalize(Raw("cancelled", "F1"), "lab/x").Result!.CollectedAtKind);
        Assert.Contains("needs the lab's accession or identifier", normalizer.Normalize(Raw("cancelled", null), "lab/x").Error!.Reason, StringComparison.Ordinal);
        Assert.Equal("no collection time", normalizer.Normalize(Raw("final", "F1"), "lab/x").Error!.Reason);
    }

    [Fact]
    public void LabRecord_AWithdrawalDatedByItsMessage_KeepsTheCollectionTimeOfTheLastVersionThatHadOne()
    {
        var final = TestData.Result(Analyte.Plt, 29, 12m) with { ResultId = "r1", Identity = "acc:F1|plt|" };
        var corrected = final with { Status = ResultStatus.Corrected, CollectedAt = final.CollectedAt.AddHours(1), VersionId = "v2" };
        var withdrawal = final with
        {
            Status = ResultStatus.Cancelled,
            Value = null,
            OriginalValue = string.Empty,
            CollectedAt = final.CollectedAt.AddDays(3),
            CollectedAtKind = CollectionTimeKind.MessageTime,
            VersionId = "v3",
        };
        var other = TestData.Result(Analyte.Anc, 30, 0.4m);

        var record = LabRecord.Resolve([withdrawal, other, corrected, final with { VersionId = "v1" }]);

        var result = record.Find("r1")!;
        Assert.True(result.Withdrawn);
        Assert.Same(withdrawal, result.Current);
        Assert.Equal(corrected.CollectedAt, result.CollectedAt);
        Assert.Equal(["r1", other.ResultId], record.Results.Select(r => r.ResultId)); // still ordered on day +29, not day +32
    }
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CsCheck;
using static CarTLabPipeline.Core.Tests.IngestionHarness;

namespace CarTLabPipeline.Core.Tests.Record;

/// <summary>
/// The record as labs really behave: corrections, cancellations, two results at one instant, a preliminary after its
/// final, one result in two formats. Each case goes through the real readers and normaliser (<see cref="IngestionHarness"/>),
/// then <see cref="LabRecord"/> and the rule engine.
/// </summary>
public class LabRecordTests
{
    private const string Header = "patient_id,collected_at,analyte,value,unit,specimen,status,accession,sensitivity,reported_at";

    private static readonly DateTimeOffset s_arrival = TestData.Now.AddDays(-30);

    /// <summary>Every file's versions as they would be stored, the n-th file arriving n hours after the first.</summary>
    private static List<LabResult> Arrive(params string[] files)
    {
        var versions = new List<LabResult>();
        for (var i = 0; i < files.Length; i++)
        {
            var (stored, errors, _, _) = IngestText(files[i], $"lab-a/file-{i}");
            Assert.Empty(errors);
            versions.AddRange(stored.Select(r => r with { ReceivedAt = s_arrival.AddHours(i) }));
        }

        return versions;
    }

    private static List<Alert> Evaluate(IEnumerable<LabResult> versions, string patientId = "PT-R1") =>
        [.. TestData.Engine().Evaluate(TestData.Enrollment(patientId), versions, TestData.Now)];

    private static string Csv(params string[] rows) => string.Join('\n', [Header, .. rows]) + "\n";

    private static string Hl7(string controlId, string messageTime, params string[] orders) =>
        $"MSH|^~\\&|LIS|HOSP|CARTLAB|HOSP|{messageTime}||ORU^R01^ORU_R01|{controlId}|P|2.5.1\rPID|1||PT-R1^^^HOSP^MR\r" + string.Join('\r', orders) + "\r";

    private static string MrdHistoryCsv => Csv(
        "PT-R1,2024-09-24T08:15:00+02:00,mrd,<0.01,%,bone marrow,final,FL-28,1e-4,",
        "PT-R1,2024-12-25T08:15:00+01:00,mrd,0.05,%,bone marrow,final,FL-120,1e-4,");

    [Fact]
    public void MrdCorrected_Csv_OneResultWithTheCorrectedValue_AndTheRelapseAlertDowngradedUnderTheSameId()
    {
        var original = Arrive(MrdHistoryCsv);
        var corrected = Arrive(MrdHistoryCsv, Csv("PT-R1,2024-12-25T08:15:00+01:00,mrd,0.005,%,bone marrow,corrected,FL-120,1e-4,"));

        var record = LabRecord.Resolve(corrected);
        var day120 = Assert.Single(record.Results, r => r.Current.CollectedAt.Month == 12);
        Assert.Equal((0.005m, ResultStatus.Corrected, 2), (day120.Current.Value, day120.Current.Status, day120.Versions.Count));

        var before = Assert.Single(Evaluate(original), a => a.RuleId == "mrd.positive-conversion");
        var after = Assert.Single(Evaluate(corrected), a => a.RuleId == "mrd.positive-conversion");
        Assert.Equal(AlertSeverity.Critical, before.Severity);
        Assert.Equal(AlertSeverity.Warning, after.Severity);
        Assert.Equal(before.AlertId, after.AlertId);
        Assert.Contains("0.005 %", after.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void MrdCorrected_Hl7_SameFillerOrderNumber_IsOneResult()
    {
        const string Negative = "OBR|1||FL-28^LAB|MRD|||20240924081500+0200\rOBX|1|SN|67128-9^MRD^LN||<^0.01|%|||||F\rNTE|1||sensitivity 1e-4";
        var versions = Arrive(
            Hl7("M1", "20241225120000+0100", Negative, "OBR|2||FL-120^LAB|MRD|||20241225081500+0100\rOBX|1|NM|67128-9^MRD^LN||0.05|%|||||F\rNTE|1||sensitivity 1e-4"),
            Hl7("M2", "20241226090000+0100", "OBR|1||FL-120^LAB|MRD|||20241225081500+0100\rOBX|1|NM|67128-9^MRD^LN||0.005|%|||||C\rNTE|1||sensitivity 1e-4"));

        var record = LabRecord.Resolve(versions);
        Assert.Equal(2, record.Results.Count);
        Assert.Equal(0.005m, record.Current[^1].Value);
        Assert.Equal(AlertSeverity.Warning, Assert.Single(Evaluate(versions), a => a.RuleId == "mrd.positive-conversion").Severity);
    }

    [Fact]
    public void MrdCorrected_Fhir_SameIdentifier_IsOneResult()
    {
        static string Observation(string id, string status, string value, string effective, string issued) =>
            $$$"""{"resource":{"resourceType":"Observation","identifier":[{"system":"urn:lis","value":"{{{id}}}"}],"status":"{{{status}}}","issued":"{{{issued}}}","code":{"coding":[{"system":"http://loinc.org","code":"67128-9"}]},"subject":{"identifier":{"type":{"coding":[{"code":"MR"}]},"value":"PT-R1"}},"effectiveDateTime":"{{{effective}}}","valueQuantity":{"value":{{{value}}},"unit":"%","code":"%"},"note":[{"text":"sensitivity 1e-4"}]}}""";
        static string Bundle(params string[] entries) => $$$"""{"resourceType":"Bundle","type":"collection","entry":[{{{string.Join(',', entries)}}}]}""";

        var versions = Arrive(
            Bundle(
                """{"resource":{"resourceType":"Observation","identifier":[{"system":"urn:lis","value":"FL-28"}],"status":"final","code":{"coding":[{"system":"http://loinc.org","code":"67128-9"}]},"subject":{"identifier":{"type":{"coding":[{"code":"MR"}]},"value":"PT-R1"}},"effectiveDateTime":"2024-09-24T08:15:00+02:00","valueQuantity":{"value":0.01,"comparator":"<","unit":"%","code":"%"},"note":[{"text":"sensitivity 1e-4"}]}}""",
                Observation("FL-120", "final", "0.05", "2024-12-25T08:15:00+01:00", "2024-12-25T12:00:00+01:00")),
            Bundle(Observation("FL-120", "corrected", "0.005", "2024-12-25T08:15:00+01:00", "2024-12-26T09:00:00+01:00")));

        Assert.Equal(2, LabRecord.Resolve(versions).Results.Count);
        Assert.Equal(AlertSeverity.Warning, Assert.Single(Evaluate(versions), a => a.RuleId == "mrd.positive-conversion").Severity);
    }

    [Fact]
    public void IgGCorrected_250To180_TheAlertCitesTheCorrectedValueUnderTheSameId()
    {
        var first = Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,250,mg/dL,serum,final,CL-45,,");
        var before = Assert.Single(Evaluate(Arrive(first)), a => a.RuleId == "igg.low");
        var after = Assert.Single(Evaluate(Arrive(first, Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,180,mg/dL,serum,corrected,CL-45,,"))), a => a.RuleId == "igg.low");

        Assert.Equal(before.AlertId, after.AlertId);
        Assert.Contains("180 mg/dL", after.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("250", after.Summary, StringComparison.Ordinal);
        Assert.Equal(180m, Assert.Single(after.Evidence, e => e.Role == EvidenceRoles.Trigger).Value);
    }

    [Fact]
    public void CorrectionThatAlsoFixesTheCollectionTime_SameAccession_ReplacesTheResult()
    {
        var versions = Arrive(
            Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,250,mg/dL,serum,final,CL-45,,"),
            Csv("PT-R1,2024-10-11T06:45:00+02:00,igg,450,mg/dL,serum,corrected,CL-45,,"));

        var result = Assert.Single(LabRecord.Resolve(versions).Results);
        Assert.Equal((450m, new DateTimeOffset(2024, 10, 11, 6, 45, 0, TimeSpan.FromHours(2))), (result.Current.Value, result.Current.CollectedAt));
        Assert.DoesNotContain(Evaluate(versions), a => a.RuleId == "igg.low");
    }

    [Fact]
    public void CancellationWhoseTimeDiffersByMinutes_SameAccession_WithdrawsTheResult()
    {
        var versions = Arrive(
            Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,250,mg/dL,serum,final,CL-45,,"),
            Csv("PT-R1,2024-10-11T07:34:00+02:00,igg,,,serum,cancelled,CL-45,,"));

        var record = LabRecord.Resolve(versions);
        Assert.True(Assert.Single(record.Results).Withdrawn);
        Assert.Empty(record.Current);
        Assert.DoesNotContain(Evaluate(versions), a => a.RuleId == "igg.low");
    }

    [Fact]
    public void TwoPlateletCountsAtOneInstant_DifferentAccessions_AreTwoResults()
    {
        var csv = Arrive(Csv(
            "PT-R1,2024-10-11T07:30:00+02:00,plt,12,10^9/L,blood,final,H-1,,",
            "PT-R1,2024-10-11T07:30:00+02:00,plt,41,10^9/L,blood,final,H-2,,"));
        var hl7 = Arrive(Hl7("M1", "20241011100000+0200",
            "OBR|1||H-1|CBC|||20241011073000+0200\rOBX|1|NM|777-3^PLT^LN||12|10*9/L|||||F",
            "OBR|2||H-2|CBC|||20241011073000+0200\rOBX|1|NM|777-3^PLT^LN||41|10*9/L|||||F"));

        Assert.Equal([12m, 41m], LabRecord.Resolve(csv).Current.Select(r => r.Value!.Value).Order());
        Assert.Equal([12m, 41m], LabRecord.Resolve(hl7).Current.Select(r => r.Value!.Value).Order());
    }

    [Fact]
    public void MarrowAndBloodMrdInTheSameMinute_WithoutAccession_AreTwoResults_AndTheMarrowRelapseIsRaised()
    {
        var versions = Arrive(Csv(
            "PT-R1,2024-09-24T08:15:00+02:00,mrd,<0.01,%,bone marrow,final,,1e-4,",
            "PT-R1,2024-12-25T08:15:00+01:00,mrd,0.05,%,bone marrow,final,,1e-4,",
            "PT-R1,2024-12-25T08:15:00+01:00,mrd,<0.01,%,peripheral blood,final,,1e-4,"));

        Assert.Equal(3, LabRecord.Resolve(versions).Current.Count);
        var relapse = Assert.Single(Evaluate(versions), a => a.RuleId == "mrd.positive-conversion");
        Assert.Equal(AlertSeverity.Critical, relapse.Severity);
    }

    [Fact]
    public void PreliminaryCopyArrivingAfterItsFinal_LeavesTheFinalCurrent_AndTheAlertStands()
    {
        var final = Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,250,mg/dL,serum,final,CL-45,,2024-10-11T12:00:00+02:00");
        var retry = Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,260,mg/dL,serum,preliminary,CL-45,,2024-10-11T15:00:00+02:00");
        var versions = Arrive(final, retry);

        var result = Assert.Single(LabRecord.Resolve(versions).Results);
        Assert.Equal((ResultStatus.Final, 250m), (result.Current.Status, result.Current.Value));
        Assert.Equal(Assert.Single(Evaluate(Arrive(final)), a => a.RuleId == "igg.low").AlertId,
            Assert.Single(Evaluate(versions), a => a.RuleId == "igg.low").AlertId);
    }

    [Fact]
    public void SameIgGByHl7WithoutOffsetAndByCsvWithOffset_SameAccession_IsOneResultAndOneAlert()
    {
        var hl7 = Hl7("M1", "20241011120000", "OBR|1||CL-45|IGG|||20241011073000\rOBX|1|NM|2465-3^IgG^LN||250|mg/dL|||||F");
        var csv = Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,250,mg/dL,serum,final,CL-45,,");

        foreach (var versions in new[] { Arrive(hl7, csv), Arrive(csv, hl7) })
        {
            Assert.Single(LabRecord.Resolve(versions).Results);
            Assert.Single(Evaluate(versions), a => a.RuleId == "igg.low");
        }
    }

    [Fact]
    public void SameVersionTwice_IsOneVersion()
    {
        var file = Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,250,mg/dL,serum,final,CL-45,,");
        Assert.Single(Assert.Single(LabRecord.Resolve(Arrive(file, file)).Results).Versions);
    }

    [Fact]
    public void ExactTie_TheLaterArrivalWins()
    {
        var a = Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,250,mg/dL,serum,final,CL-45,,");
        var b = Csv("PT-R1,2024-10-11T07:30:00+02:00,igg,180,mg/dL,serum,final,CL-45,,");
        Assert.Equal(180m, Assert.Single(LabRecord.Resolve(Arrive(a, b)).Current).Value);
        Assert.Equal(250m, Assert.Single(LabRecord.Resolve(Arrive(b, a)).Current).Value);
    }

    [Theory]
    [InlineData(ResultStatus.Preliminary, ResultStatus.Final, ResultStatus.Final)]
    [InlineData(ResultStatus.Final, ResultStatus.Corrected, ResultStatus.Corrected)]
    [InlineData(ResultStatus.Corrected, ResultStatus.Final, ResultStatus.Corrected)]
    [InlineData(ResultStatus.Corrected, ResultStatus.Cancelled, ResultStatus.Cancelled)]
    [InlineData(ResultStatus.Cancelled, ResultStatus.Preliminary, ResultStatus.Cancelled)]
    public void Precedence_StatusRankBeatsMessageTime(ResultStatus newerMessage, ResultStatus olderMessage, ResultStatus expected)
    {
        var r = TestData.Result(Analyte.IgG, 45, 250m);
        var older = r with { Status = olderMessage, ReportedAt = TestData.Now.AddDays(-2), VersionId = "a" };
        var newer = r with { Status = newerMessage, ReportedAt = TestData.Now.AddDays(-1), VersionId = "b" };
        Assert.Equal(expected, LabRecord.Resolve([older, newer]).Results[0].Current.Status);
        Assert.Equal(expected, LabRecord.Resolve([newer, older]).Results[0].Current.Status);
    }

    /// <summary>
    /// The record is a pure function of what arrived: any arrival order of any set of versions (statuses, values, message
    /// times without exact ties) gives the same current record, and so the same alerts.
    /// </summary>
    [Fact]
    public void AnyArrivalOrder_GivesTheSameRecordAndTheSameAlerts()
    {
        var statuses = new[] { ResultStatus.Preliminary, ResultStatus.Final, ResultStatus.Corrected, ResultStatus.Cancelled };
        var version = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[150, 450], Gen.Int[0, 10_000]).Select((result, status, value, minute) =>
        {
            var r = TestData.Result(Analyte.IgG, 28 + (result * 30), value, patientId: "PT-R1");
            var v = r with { Status = statuses[status], Value = value, OriginalValue = value.ToString(System.Globalization.CultureInfo.InvariantCulture), ReportedAt = r.CollectedAt.AddMinutes(minute) };
            return v with { VersionId = ResultIds.ForVersion(v) };
        });
        var sets = version.Array[1, 12].Where(vs => vs.DistinctBy(v => (v.ResultId, v.Status, v.ReportedAt)).Count() == vs.Length);

        Gen.Select(sets, Gen.Int[0, int.MaxValue]).Sample((versions, seed) =>
        {
            var arrivals = new[] { versions, versions.Reverse().ToArray(), versions.OrderBy(_ => new Random(seed).Next()).ToArray() }
                .Select(order => order.Select((v, i) => v with { ReceivedAt = s_arrival.AddMinutes(i) }).ToList()).ToList();
            var records = arrivals.Select(a => string.Join(';', LabRecord.Resolve(a).Results.Select(r => $"{r.ResultId}:{r.Current.VersionId}:{r.Withdrawn}"))).ToList();
            var alerts = arrivals.Select(a => string.Join(';', Evaluate(a).Select(x => $"{x.AlertId}:{x.Summary}"))).ToList();
            return records.Distinct().Count() == 1 && alerts.Distinct().Count() == 1;
        }, iter: 300);
    }
}

using System.Text;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.Mrd;
using CarTLabPipeline.Testing.InMemory;
using static CarTLabPipeline.Core.Tests.IngestionHarness;

namespace CarTLabPipeline.Core.Tests.Ingestion;

/// <summary>
/// Issue 12: real-world input shapes (lab conventions, number and MRD notations, identifiers, honest reports), each through
/// the real readers and normaliser. Every case here stored a wrong value, or said nothing, before.
/// </summary>
public class InputFidelityTests
{
    private const string CsvHeader = "patient_id,collected_at,analyte,value,unit,sensitivity\n";

    private static IngestionOptions Lab(Action<LabConventions> configure, string lab = "lab")
    {
        var conventions = new LabConventions();
        configure(conventions);
        var options = new IngestionOptions();
        options.Labs[lab] = conventions;
        return options;
    }

    private static (List<LabResult> Stored, List<IngestionError> Errors, int Skipped, LabFileFormat Format) Csv(string rows, IngestionOptions? options = null,
        string header = CsvHeader) =>
        Ingest(new MemoryStream(Encoding.UTF8.GetBytes(header + rows)), "lab/file.csv", options);

    private static (List<LabResult> Stored, List<IngestionError> Errors, int Skipped, LabFileFormat Format) Text(string text, IngestionOptions? options = null) =>
        Ingest(new MemoryStream(Encoding.UTF8.GetBytes(text)), "lab/file", options);

    private static string Hl7(string pid, params string[] obx) =>
        "MSH|^~\\&|LIS|HOSP|CARTLAB|HOSP|20250312142600+0100||ORU^R01^ORU_R01|M1|P|2.5.1\r" + $"PID|1||{pid}||TEST^SYN\r" +
        "OBR|1||F1|CBC^CBC^L|||20250310080000+0100\r" + string.Join("", obx.Select((o, i) => $"OBX|{i + 1}|{o}\r"));

    // ---- 1. Per-lab conventions: numbers ----

    [Fact]
    public void Platelets210Comma000CellsPerMicrolitre_NoSeparatorConfigured_RejectedNamingTheSetting()
    {
        var (stored, errors, _, _) = Csv("PT-1,2025-03-10T08:00:00+01:00,plt,\"210,000\",{cells}/uL,\n");

        Assert.Empty(stored);
        var reason = Assert.Single(errors).Reason;
        Assert.Contains("Ingestion__Labs__lab__DecimalSeparator=. or ,", reason, StringComparison.Ordinal);
        Assert.Contains("210 or 210000", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Platelets210Comma000CellsPerMicrolitre_DotDecimals_Are210PerNanolitre()
    {
        var (stored, errors, _, _) = Csv("PT-1,2025-03-10T08:00:00+01:00,plt,\"210,000\",{cells}/uL,\n", Lab(l => l.DecimalSeparator = "."));

        Assert.Empty(errors);
        Assert.Equal(210m, Assert.Single(stored).Value);
    }

    [Fact]
    public void Platelets180Dot000PerMm3_CommaDecimals_Are180PerNanolitre_AndUnconfiguredRejected()
    {
        const string row = "PT-1;2025-03-10T08:00:00+01:00;plt;180.000;/mm3;\n";
        const string header = "patient_id;collected_at;analyte;value;unit;sensitivity\n";

        Assert.Equal(180m, Assert.Single(Csv(row, Lab(l => l.DecimalSeparator = ","), header).Stored).Value);
        var unconfigured = Csv(row, header: header);
        Assert.Empty(unconfigured.Stored);
        Assert.Contains("DecimalSeparator", Assert.Single(unconfigured.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ItalianFile_1Dot200Beside2Comma8_IsNeverRead1Point2()
    {
        const string header = "patient_id;collected_at;analyte;value;unit;sensitivity\n";
        const string rows = "PT-1;2025-03-10T08:00:00+01:00;anc;1.200;/mm3;\nPT-1;2025-03-10T08:00:00+01:00;igg;2,8;g/L;\n";

        var unconfigured = Csv(rows, header: header);
        Assert.Empty(unconfigured.Stored);
        Assert.Equal(2, unconfigured.Errors.Count);
        Assert.All(unconfigured.Errors, e => Assert.Contains("Ingestion__Labs__lab__DecimalSeparator", e.Reason, StringComparison.Ordinal));

        var italian = Csv(rows, Lab(l => l.DecimalSeparator = ","), header);
        Assert.Empty(italian.Errors);
        Assert.Equal(1.2m, italian.Stored.Single(r => r.Analyte == Analyte.Anc).Value); // 1200 /mm3 = 1.2 ×10⁹/L: no grade 4
        Assert.Equal(280m, italian.Stored.Single(r => r.Analyte == Analyte.IgG).Value);
    }

    [Theory]
    [InlineData(",", "0.005")]
    [InlineData(".", "0,005")]
    public void LeadingZero_IsNeverAThousandsGroup(string separator, string value)
    {
        var (stored, errors, _, _) = Csv($"PT-1,2024-09-24T08:00:00+02:00,mrd,\"{value}\",%,\n", Lab(l => l.DecimalSeparator = separator));

        Assert.Empty(stored); // not 5 %
        Assert.Contains($"DecimalSeparator={separator}", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    // ---- 1. Per-lab conventions: dates and zones ----

    [Fact]
    public void Date03Slash10Slash2025_NoDateOrder_RejectedNamingTheSetting_NeverReadAsMarch()
    {
        var (stored, errors, _, _) = Csv("PT-1,03/10/2025 08:00,igg,450,mg/dL,\n");

        Assert.Empty(stored);
        Assert.Contains("set Ingestion__Labs__lab__DateOrder=DMY or MDY", Assert.Single(errors).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DMY", 10, 3)]
    [InlineData("MDY", 3, 10)]
    public void Date03Slash10Slash2025_ReadInTheConfiguredOrderAndTheLabsZone(string order, int month, int day)
    {
        var options = Lab(l => (l.DateOrder, l.TimeZone) = (Enum.Parse<LabDateOrder>(order, ignoreCase: true), "Europe/Rome"));

        var result = Assert.Single(Csv("PT-1,03/10/2025 08:00,igg,450,mg/dL,\n", options).Stored);

        Assert.Equal((2025, month, day, 8), (result.CollectedAt.Year, result.CollectedAt.Month, result.CollectedAt.Day, result.CollectedAt.Hour));
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome").GetUtcOffset(result.CollectedAt.DateTime), result.CollectedAt.Offset);
    }

    [Theory]
    [InlineData("2024-09-10T08:00:00+02:00", "2024-09-10T06:00:00Z")]
    [InlineData("2024-09-10T08:00:00.1234567+0200", "2024-09-10T06:00:00.1234567Z")]
    [InlineData("2024-09-10 08:00Z", "2024-09-10T08:00:00Z")]
    [InlineData("2024-09-10T08:00:00.5-05:00", "2024-09-10T13:00:00.5Z")]
    [InlineData("2024-09-10T08:00", "2024-09-10T08:00:00Z")]
    public void IsoTimestamps_InEveryShape_AreReadExactly(string text, string utc)
    {
        var result = Assert.Single(Csv($"PT-1,{text},igg,450,mg/dL,\n").Stored);

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), result.CollectedAt);
    }

    [Theory]
    [InlineData("0000-01-01")]
    [InlineData("2024-02-30T08:00:00Z")]
    [InlineData("2024-09-10T08:00:00+15:00")]
    [InlineData("2024-09-10+02:00")]
    [InlineData("2024-09")]
    public void ImpossibleTimestamps_AreRejected(string text)
    {
        Assert.Equal("collected_at", Assert.Single(Csv($"PT-1,{text},igg,450,mg/dL,\n").Errors).Field);
    }

    [Fact]
    public void DateOnlyCollectedAt_NewYorkPatient_IsDay14NotDay13()
    {
        var enrollment = TestData.Enrollment("PT-1", infusion: "2024-08-27", zone: "America/New_York");

        var result = Assert.Single(Csv("PT-1,2024-09-10,anc,0.4,10*9/L,\n").Stored);

        Assert.Equal(14, enrollment.DayPostInfusion(result.CollectedAt));
        Assert.Equal(14, new RuleContext(enrollment, [result], TestData.Now).Day(result));
    }

    [Fact]
    public void DateOnlyFhirEffectiveDateTime_NewYorkPatient_KeepsItsCalendarDate()
    {
        var enrollment = TestData.Enrollment("PT-1", infusion: "2005-06-21", zone: "America/New_York");
        const string json = """{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"751-8"}]},"subject":{"reference":"Patient/PT-1"},"effectiveDateTime":"2005-07-05","valueQuantity":{"value":0.4,"code":"10*9/L"}}""";

        var result = Assert.Single(Text(json).Stored);

        Assert.Equal(14, enrollment.DayPostInfusion(result.CollectedAt));
        Assert.Equal(new DateOnly(2005, 7, 5), enrollment.LocalDate(result.CollectedAt));
    }

    [Fact]
    public void DateOnlyCollectedAt_TokyoLabNewYorkPatient_IsDay14NotDay13()
    {
        // Noon in Tokyo is 23:00 the day before in New York: only the date as sent keeps day +14.
        var enrollment = TestData.Enrollment("PT-1", infusion: "2024-08-27", zone: "America/New_York");

        var result = Assert.Single(Csv("PT-1,2024-09-10,anc,0.4,10*9/L,\n", Lab(l => l.TimeZone = "Asia/Tokyo")).Stored);

        Assert.Equal((CollectionTimeKind.Date, new DateOnly(2024, 9, 10)), (result.CollectedAtKind, result.CollectedDate));
        Assert.Equal(14, enrollment.DayPostInfusion(result));
        var context = new RuleContext(enrollment, [result], TestData.Now);
        Assert.Equal((14, new DateOnly(2024, 9, 10)), (context.Day(result), context.LocalDate(result)));
    }

    [Theory]
    [InlineData("CSV collected_at", "csv")]
    [InlineData("HL7 OBX-14", "hl7")]
    [InlineData("FHIR effectiveDateTime", "fhir")]
    public void DateOnly_KiritimatiLabHonoluluPatient_KeepsTheDateAsSent(string shape, string format)
    {
        // The lab is at UTC+14 and the patient at UTC-10: noon of the lab's day is the day before in Honolulu.
        _ = shape;
        var enrollment = TestData.Enrollment("PT-1", infusion: "2024-08-27", zone: "Pacific/Honolulu");
        var options = Lab(l => l.TimeZone = "Pacific/Kiritimati");
        var ingested = format switch
        {
            "csv" => Csv("PT-1,2024-09-10,anc,0.4,10*9/L,\n", options),
            "hl7" => Text(Hl7("PT-1^^^HOSP^MR", "NM|751-8^Neutrophils^LN||0.4|10*9/L|||||F|||20240910"), options),
            _ => Text("""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"751-8"}]},"subject":{"reference":"Patient/PT-1"},"effectiveDateTime":"2024-09-10","valueQuantity":{"value":0.4,"code":"10*9/L"}}""", options),
        };

        var result = Assert.Single(ingested.Stored);

        Assert.Equal(new DateOnly(2024, 9, 10), result.CollectedDate);
        Assert.Equal(14, new RuleContext(enrollment, [result], TestData.Now).Day(result));
    }

    [Fact]
    public void DateAndTime_IsAnInstant_CountedInThePatientsZone()
    {
        // Only a date without a time is a calendar date: 2024-09-10 08:00 in Kiritimati is 2024-09-09 in Honolulu.
        var enrollment = TestData.Enrollment("PT-1", infusion: "2024-08-27", zone: "Pacific/Honolulu");

        var result = Assert.Single(Csv("PT-1,2024-09-10T08:00,anc,0.4,10*9/L,\n", Lab(l => l.TimeZone = "Pacific/Kiritimati")).Stored);

        Assert.Equal((CollectionTimeKind.Instant, (DateOnly?)null), (result.CollectedAtKind, result.CollectedDate));
        Assert.Equal(13, new RuleContext(enrollment, [result], TestData.Now).Day(result));
    }

    [Fact]
    public async Task DateOnlyDay14_KiritimatiLabHonoluluPatient_RaisesTheNeutropeniaAlert_NotMissedAsDay13()
    {
        // Severe neutropenia alerts from day +14 (MinDay): day +13 would say nothing.
        await using var pipeline = new InMemoryPipeline(new Dictionary<string, string?> { ["Ingestion:Labs:lab:TimeZone"] = "Pacific/Kiritimati" });
        await pipeline.EnrollAsync(TestData.Enrollment("PT-1", infusion: "2024-08-27", zone: "Pacific/Honolulu"));

        var report = await pipeline.DropAsync("lab/counts.csv", CsvHeader + "PT-1,2024-09-10,anc,0.4,10*9/L,\n");
        await pipeline.RunAsync();

        Assert.Equal(1, report.Stored);
        var alert = Assert.Single(pipeline.Alerts.All(), a => a.Alert.RuleId == "anc.severe-neutropenia").Alert;
        Assert.Equal(14, alert.DayPostInfusion);
        Assert.Equal(14, Assert.Single(alert.Evidence).DayPostInfusion);
    }

    [Fact]
    public async Task DateOnlyCollectedAt_NewYorkPatientTokyoLab_TheAlertIsDay14_AndTheRecordSaysDateOnly()
    {
        await using var pipeline = new InMemoryPipeline(new Dictionary<string, string?> { ["Ingestion:Labs:lab:TimeZone"] = "Asia/Tokyo" });
        await pipeline.EnrollAsync(TestData.Enrollment("PT-1", infusion: "2024-08-27", zone: "America/New_York"));

        await pipeline.DropAsync("lab/counts.csv", CsvHeader + "PT-1,2024-09-10,anc,0.4,10*9/L,\n");
        await pipeline.RunAsync();

        var alert = Assert.Single(pipeline.Alerts.All(), a => a.Alert.RuleId == "anc.severe-neutropenia").Alert;
        Assert.Equal(14, alert.DayPostInfusion);
        var view = (await pipeline.Get<CarTLabPipeline.Results.ResultQueryService>().GetAsync("PT-1", includeVersions: true, default)).Value!;
        var row = Assert.Single(view.Results);
        Assert.Equal((new DateOnly(2024, 9, 10), 14, CollectionTimeKind.Date), (row.CollectedOn, row.DayPostInfusion, row.CollectedAtKind));
        Assert.Equal(CollectionTimeKind.Date, Assert.Single(row.Versions!).CollectedAtKind);
        Assert.Contains("\"collectedAtKind\":\"date\"", CarTLabPipeline.Alerts.PipelineJson.Serialize(row), StringComparison.Ordinal);
        var mail = Assert.Single(pipeline.EmailSender.Sent);
        Assert.Contains("2024-09-10 (date only), day +14", mail.Text, StringComparison.Ordinal); // never "12:00", a time the lab did not send
    }

    [Fact]
    public void DateOnly_IsPartOfTheVersion_AndInstantVersionIdsAreUnchanged()
    {
        var date = Assert.Single(Csv("PT-1,2024-09-10,igg,450,mg/dL,\n").Stored);
        var noon = Assert.Single(Csv("PT-1,2024-09-10T12:00:00Z,igg,450,mg/dL,\n").Stored);

        Assert.Equal(date.CollectedAt, noon.CollectedAt);
        Assert.NotEqual(date.VersionId, noon.VersionId);
        Assert.Equal(ResultIds.ForVersion(noon with { VersionId = string.Empty }), noon.VersionId);
    }

    [Fact]
    public void Hl7TimeWithoutOffset_IsTheLabsLocalTime()
    {
        var text = Hl7("PT-1^^^HOSP^MR", "NM|751-8^Neutrophils^LN||0.4|10*9/L|||||F|||20250310080000").Replace("+0100\r", "\r", StringComparison.Ordinal);

        var result = Assert.Single(Text(text, Lab(l => l.TimeZone = "America/New_York")).Stored);

        Assert.Equal(new DateTimeOffset(2025, 3, 10, 8, 0, 0, TimeSpan.FromHours(-4)), result.CollectedAt);
    }

    [Fact]
    public void LegacyLocalCodesSetting_StillMaps_AsAnAliasOfLabsLocalCodes()
    {
        var options = new IngestionOptions();
        options.LocalCodes["lab"] = new(StringComparer.OrdinalIgnoreCase) { ["IGGX"] = "igg" };
        options.Labs["lab"] = new LabConventions { LocalCodes = { ["WBCX"] = "wbc" } };

        var (stored, _, _, _) = Text(Hl7("PT-1^^^HOSP^MR", "NM|IGGX^IgG^L||450|mg/dL|||||F", "NM|WBCX^WBC^L||4.1|10*9/L|||||F"), options);

        Assert.Equal([Analyte.IgG, Analyte.Wbc], stored.Select(r => r.Analyte));
    }

    // ---- 2. Numbers and notations ----

    [Theory]
    [InlineData("1e-4")]
    [InlineData("10^-4")]
    [InlineData("10E-4")]
    [InlineData("1x10-4")]
    [InlineData("1 in 10,000")]
    [InlineData("0.01%")]
    [InlineData("0,01%")]
    public void MrdSensitivity_EverySpelling_Is1In10000(string sensitivity)
    {
        var (stored, errors, _, _) = Csv($"PT-1,2024-09-24T08:00:00+02:00,mrd,not detected,,\"{sensitivity}\"\n");

        Assert.Empty(errors);
        Assert.Equal(0.0001m, Assert.Single(stored).Sensitivity);
    }

    [Fact]
    public void MrdSensitivityThatCannotBeRead_KeepsTheValue_SensitivityUnknown_AndReportsIt()
    {
        using var file = Parser().Open(new MemoryStream(Encoding.UTF8.GetBytes(CsvHeader + "PT-1,2024-09-24T08:00:00+02:00,mrd,not detected,,high\n")),
            "lab/file.csv", null, CancellationToken.None);

        var item = Assert.Single(file.Items);

        Assert.Null(item.Result!.Sensitivity);
        Assert.Contains("sensitivity unknown", item.Warning!.Reason, StringComparison.Ordinal);
        Assert.Equal(MrdState.NotEvaluable, MrdClassifier.Classify(item.Result, 0.0001m, null));
    }

    [Fact]
    public void MrdNotDetected_WithEmptyUnit_IsStored()
    {
        var result = Assert.Single(Csv("PT-1,2024-09-24T08:00:00+02:00,mrd,not detected,,1e-4\n").Stored);

        Assert.False(result.Detected);
    }

    [Fact]
    public void MrdNumberWithoutUnit_IsRejectedNamingTheSetting_UnlessTheLabsUnitIsConfigured()
    {
        const string row = "PT-1,2024-09-24T08:00:00+02:00,mrd,0.005,,\n";

        Assert.Contains("Ingestion__Labs__lab__MrdUnit=% or fraction", Assert.Single(Csv(row).Errors).Reason, StringComparison.Ordinal);
        var percent = Assert.Single(Csv(row, Lab(l => l.MrdUnit = "%")).Stored);
        Assert.Equal((0.005m, "%"), (percent.Value!.Value, percent.Unit));
        Assert.Equal(0.005m, Assert.Single(Csv(row, Lab(l => l.MrdUnit = "fraction")).Stored).MrdFraction);
    }

    [Fact]
    public void Hb6Point2MmolPerL_Is10Point0GramsPerDecilitre_AndTheAlertTextShowsBoth()
    {
        var (stored, _, _, _) = Csv("PT-1,2025-03-10T08:00:00+01:00,hgb,6.2,mmol/L,\nPT-1,2025-03-11T08:00:00+01:00,hgb,4.9,mmol/L,\n");

        Assert.Equal(10.0m, stored[0].Value);
        Assert.True(stored[0].Value >= 10m);
        Assert.Equal("6.2 mmol/L (10.0 g/dL)", ClinicalText.Value(stored[0]));
        Assert.Equal("4.9 mmol/L (7.9 g/dL)", ClinicalText.Value(stored[1])); // not 7.8939
        Assert.Equal(("6.2", "mmol/L"), (stored[0].OriginalValue, stored[0].OriginalUnit));
    }

    // ---- 3. MRD semantics ----

    [Theory]
    [InlineData("positive (<0.01%)")]
    [InlineData("detected (<0.01%)")]
    [InlineData("detected <0.01 %")]
    public void MrdDetectedBelowTheLimit_IsIndeterminate_NeverNegative(string value)
    {
        var result = Assert.Single(Csv($"PT-1,2024-09-24T08:00:00+02:00,mrd,{value},,1e-4\n").Stored);

        Assert.True(result.Detected);
        Assert.Equal(MrdState.DetectableLow, MrdClassifier.Classify(result, 0.0001m, 0.0001m));
        Assert.StartsWith("detected, below the quantifiable limit", ClinicalText.Value(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POS", MrdState.DetectableLow)]
    [InlineData("DET", MrdState.DetectableLow)]
    [InlineData("ND", MrdState.Negative)]
    [InlineData("NEG", MrdState.Negative)]
    public void FhirInterpretation_IsRead(string code, MrdState expected)
    {
        var json = $$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"67128-9"}]},"subject":{"reference":"Patient/PT-1"},"effectiveDateTime":"2024-09-24T08:00:00+02:00","valueQuantity":{"value":0.01,"comparator":"<","unit":"%","code":"%"},"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"{{code}}"}]}],"note":[{"text":"sensitivity 1e-4"}]}""";

        var result = Assert.Single(Text(json).Stored);

        Assert.Equal(expected, MrdClassifier.Classify(result, 0.0001m, null));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("POS")]
    public void Hl7Obx8Detected_WithLessThan_IsIndeterminate(string flag)
    {
        var text = Hl7("PT-1^^^HOSP^MR", $"SN|67128-9^MRD^LN||<^0.01|%||{flag}|||F") + "NTE|1||Sensitivity 1x10\\S\\-4\r";

        var result = Assert.Single(Text(text).Stored);

        Assert.Equal(MrdState.DetectableLow, MrdClassifier.Classify(result, 0.0001m, null));
    }

    private const string SemicolonHeader = "patient_id;collected_at;analyte;value;unit;sensitivity\n";

    [Theory]
    [InlineData("positive (<0,01%)")]
    [InlineData("detected (<0,01%)")]
    [InlineData("detected <0,01 %")]
    public void MrdDetectedBelowTheLimit_CommaDecimals_IsIndeterminate_WithSensitivity1In10000(string value)
    {
        var (stored, errors, _, _) = Csv($"PT-1;2024-09-24T08:00:00+02:00;mrd;{value};;0,01%\n", Lab(l => l.DecimalSeparator = ","), SemicolonHeader);

        Assert.Empty(errors);
        var result = Assert.Single(stored);
        Assert.Equal((true, "<", 0.0001m), (result.Detected, result.Comparator, result.Sensitivity));
        Assert.Equal(MrdState.DetectableLow, MrdClassifier.Classify(result, 0.0001m, 0.0001m));
    }

    [Theory]
    [InlineData(",", "positive (<0.01%)", "'0.01' is not a number under Ingestion__Labs__lab__DecimalSeparator=,")]
    [InlineData(",", "detected <0.01 %", "'0.01' is not a number under Ingestion__Labs__lab__DecimalSeparator=,")]
    [InlineData(",", "MRD negative (<0.01%)", "'0.01' is not a number under Ingestion__Labs__lab__DecimalSeparator=,")]
    [InlineData(",", "<0.01%", "'0.01' is not a number under Ingestion__Labs__lab__DecimalSeparator=,")]
    [InlineData(".", "positive (<0,01%)", "'0,01' is not a number under Ingestion__Labs__lab__DecimalSeparator=.")]
    [InlineData(".", "not detected (<0,01 %)", "'0,01' is not a number under Ingestion__Labs__lab__DecimalSeparator=.")]
    [InlineData("", "positive (<0,01%)", "set Ingestion__Labs__lab__DecimalSeparator=, if that is the lab's")]
    [InlineData("", "0,7 %", "set Ingestion__Labs__lab__DecimalSeparator=, if that is the lab's")]
    public void MrdValue_WithTheOtherSeparator_IsRejectedNamingTheSetting_AsAPlainValueIs(string separator, string value, string reason)
    {
        var options = separator.Length == 0 ? null : Lab(l => l.DecimalSeparator = separator);
        var plain = value.Contains("0,", StringComparison.Ordinal) ? "0,01" : "0.01";

        var (stored, errors, _, _) = Csv($"PT-1;2024-09-24T08:00:00+02:00;mrd;{value};;1e-4\n", options, SemicolonHeader);
        var plainValue = Csv($"PT-1;2024-09-24T08:00:00+02:00;mrd;{plain};%;1e-4\n", options, SemicolonHeader);

        Assert.Empty(stored); // never negative, never 1 %
        Assert.Contains(reason, Assert.Single(errors).Reason, StringComparison.Ordinal);
        Assert.Empty(plainValue.Stored);
        Assert.Contains("DecimalSeparator", Assert.Single(plainValue.Errors).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(",", "0,7 %", 0.007, null)]
    [InlineData(".", "0.7 %", 0.007, null)]
    [InlineData(",", "<0,01 %", 0.0001, "<")]
    [InlineData(".", "<0.01 %", 0.0001, "<")]
    [InlineData(",", "MRD negative (<0,01%)", 0.0001, "<")]
    [InlineData(".", "MRD negative (<0.01%)", 0.0001, "<")]
    public void MrdNumbers_ReadTheSameUnderEitherSeparator(string separator, string value, double fraction, string? comparator)
    {
        var (stored, errors, _, _) = Csv($"PT-1;2024-09-24T08:00:00+02:00;mrd;{value};;1e-4\n", Lab(l => l.DecimalSeparator = separator), SemicolonHeader);

        Assert.Empty(errors);
        var result = Assert.Single(stored);
        Assert.Equal(((decimal)fraction, comparator), (result.MrdFraction, result.Comparator));
    }

    [Theory]
    [InlineData(",", "1e-4")]
    [InlineData(",", "10^-4")]
    [InlineData(",", "10E-4")]
    [InlineData(",", "1x10-4")]
    [InlineData(",", "1 in 10,000")]
    [InlineData(",", "1 in 10.000")]
    [InlineData(",", "0,01%")]
    [InlineData(",", "0.01%")]
    [InlineData(".", "1 in 10.000")]
    [InlineData(".", "0,01%")]
    [InlineData(".", "0.01%")]
    public void MrdSensitivity_EverySpelling_UnderEitherSeparator_Is1In10000(string separator, string sensitivity)
    {
        // A sensitivity has one reading whatever the lab's separator: a leading 0 is never a thousands group, and the
        // denominator of "1 in N" is a whole number.
        var (stored, errors, _, _) = Csv($"PT-1;2024-09-24T08:00:00+02:00;mrd;not detected;;{sensitivity}\n", Lab(l => l.DecimalSeparator = separator), SemicolonHeader);

        Assert.Empty(errors);
        var result = Assert.Single(stored);
        Assert.Equal((0.0001m, false), (result.Sensitivity!.Value, result.Detected!.Value));
        Assert.Equal(MrdState.Negative, MrdClassifier.Classify(result, 0.0001m, 0.0001m));
    }

    [Theory]
    [InlineData(",")]
    [InlineData(".")]
    public void MrdQualitative_NeedsNoUnit_AndANumberWithoutAUnitIsRejected_UnderEitherSeparator(string separator)
    {
        var number = separator == "," ? "0,005" : "0.005";
        var options = Lab(l => l.DecimalSeparator = separator);

        Assert.False(Assert.Single(Csv("PT-1;2024-09-24T08:00:00+02:00;mrd;not detected;;1e-4\n", options, SemicolonHeader).Stored).Detected);
        Assert.True(Assert.Single(Csv("PT-1;2024-09-24T08:00:00+02:00;mrd;MRD positive;;\n", options, SemicolonHeader).Stored).Detected);
        Assert.Contains("MrdUnit", Assert.Single(Csv($"PT-1;2024-09-24T08:00:00+02:00;mrd;{number};;\n", options, SemicolonHeader).Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MrdPositiveWithoutANumber_SaysTheLevelWasNotReported()
    {
        var result = Assert.Single(Csv("PT-1,2024-09-24T08:00:00+02:00,mrd,MRD positive,,\n").Stored);

        Assert.True(result.Detected);
        Assert.Null(result.Value);
        Assert.Equal("detected (level not reported)", ClinicalText.Value(result));
    }

    // ---- 4. Patient identity ----

    [Fact]
    public void FhirPatientWithOnlyASocialSecurityNumber_IsRejected_NeverStoredUnderIt()
    {
        const string json = """{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","identifier":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"SS"}]},"system":"http://hl7.org/fhir/sid/us-ssn","value":"999-12-3456"}]}},{"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2465-3"}]},"subject":{"reference":"urn:uuid:p1"},"effectiveDateTime":"2025-01-10T08:00:00+01:00","valueQuantity":{"value":450,"code":"mg/dL"}}}]}""";

        var (stored, errors, _, _) = Text(json);

        Assert.Empty(stored);
        var reason = Assert.Single(errors).Reason;
        Assert.Contains("no hospital identifier", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("999-12-3456", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Hl7Pid3SocialSecurityOnly_IsRejected_AConfiguredAuthorityIsAccepted()
    {
        var ssn = Hl7("555-44-4444^^^USSSA^SS", "NM|2465-3^IgG^LN||450|mg/dL|||||F");
        var untyped = Hl7("SYN7^^^HOSP", "NM|2465-3^IgG^LN||450|mg/dL|||||F");

        Assert.Empty(Text(ssn).Stored);
        Assert.Contains("type SS", Assert.Single(Text(ssn).Errors).Reason, StringComparison.Ordinal);
        Assert.Contains("Ingestion__Labs__lab__PatientIdSystems__0", Assert.Single(Text(untyped).Errors).Reason, StringComparison.Ordinal);
        Assert.Equal("SYN7", Assert.Single(Text(untyped, Lab(l => l.PatientIdSystems.Add("HOSP"))).Stored).PatientId);
    }

    // ---- 5. LOINC as received; FHIR times from the DiagnosticReport ----

    [Fact]
    public void LoincAsReceived_IsStored_WithTheMappedAnalyte()
    {
        var hl7 = Assert.Single(Text(Hl7("PT-1^^^HOSP^MR", "NM|26464-8^Leukocytes^LN||4.1|10*9/L|||||F")).Stored);
        const string json = """{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"26464-8"}]},"subject":{"reference":"Patient/PT-1"},"effectiveDateTime":"2025-01-10T08:00:00+01:00","valueQuantity":{"value":4.1,"code":"10*9/L"}}""";
        var fhir = Assert.Single(Text(json).Stored);

        Assert.Equal((Analyte.Wbc, "26464-8"), (hl7.Analyte, hl7.Loinc));
        Assert.Equal((Analyte.Wbc, "26464-8"), (fhir.Analyte, fhir.Loinc));
    }

    [Fact]
    public void FhirObservationsWithoutTheirOwnTime_TakeTheDiagnosticReportsEffective_NeverIssued()
    {
        const string json = """{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:dr","resource":{"resourceType":"DiagnosticReport","status":"final","code":{"text":"CBC"},"effectiveDateTime":"2025-01-10T08:00:00+01:00","issued":"2025-01-11T17:00:00+01:00","result":[{"reference":"urn:uuid:o1"},{"reference":"Observation/o2"}]}},{"fullUrl":"urn:uuid:o1","resource":{"resourceType":"Observation","status":"final","issued":"2025-01-11T17:00:00+01:00","code":{"coding":[{"system":"http://loinc.org","code":"751-8"}]},"subject":{"reference":"Patient/PT-1"},"valueQuantity":{"value":0.4,"code":"10*9/L"}}},{"resource":{"resourceType":"Observation","id":"o2","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"777-3"}]},"subject":{"reference":"Patient/PT-1"},"valueQuantity":{"value":40,"code":"10*9/L"}}},{"resource":{"resourceType":"Observation","status":"final","issued":"2025-01-11T17:00:00+01:00","code":{"coding":[{"system":"http://loinc.org","code":"731-0"}]},"subject":{"reference":"Patient/PT-1"},"valueQuantity":{"value":0.2,"code":"10*9/L"}}}]}""";

        var (stored, errors, _, _) = Text(json);

        Assert.Equal(2, stored.Count);
        Assert.All(stored, r => Assert.Equal(new DateTimeOffset(2025, 1, 10, 8, 0, 0, TimeSpan.FromHours(1)), r.CollectedAt));
        Assert.Equal("effective[x]", Assert.Single(errors).Field); // the unlisted one: issued is not a collection time
    }

    // ---- 6. Honest reports ----

    private static readonly string[] s_notFollowed = ["789-8^^LN^RBC", "4544-3^^LN^HCT", "787-2^^LN^MCV", "785-6^^LN^MCH", "786-4^^LN^MCHC", "788-0^^LN^RDW",
        "32623-1^^LN^MPV", "770-8^^LN^NEUT%", "736-9^^LN^LYMPH%", "5905-5^^LN^MONO%"];

    [Fact]
    public async Task Hl7ThirteenCountsUnderUnmappedLocalCodes_ReportSaysWhatWasSkippedAndHowToMapIt()
    {
        var obx = s_notFollowed.Select(c => $"NM|{c.Replace("^^", "^x^", StringComparison.Ordinal)}^x^L||1|%|||||F")
            .Concat(["NM|WBC^Leukocytes^L||4.1|10*9/L|||||F", "NM|HGB^Haemoglobin^L||12.1|g/dL|||||F", "NM|PLT^Platelets^L||210|10*9/L|||||F"]).ToArray();
        await using var pipeline = new InMemoryPipeline();

        var report = await pipeline.DropAsync("lab/cbc.hl7", Hl7("PT-1^^^HOSP^MR", obx));

        Assert.Equal((0, 0, 13), (report.Stored, report.Rejected, report.Skipped));
        Assert.Equal(
            "13 skipped: 10 not followed (RBC, HCT, MCV, MCH, MCHC…); 3 unmapped local codes WBC, HGB, PLT — map with Ingestion__Labs__lab__LocalCodes__WBC=wbc",
            IngestionReportText.Skipped(report));
        Assert.Equal([SkipKind.NotFollowed, SkipKind.UnmappedLocalCode], report.SkippedBy.Select(s => s.Kind));
        var ledger = (await pipeline.Ledger.GetAsync(report.ContentSha256, default))!;
        Assert.Equal(report.SkippedBy.SelectMany(s => s.Codes), ledger.SkippedBy.SelectMany(s => s.Codes));
    }

    [Fact]
    public void FileWithNoFollowedAnalyteAndEmptyPid3_IsNotOneRejectionPerOrder()
    {
        var text = new StringBuilder("MSH|^~\\&|LIS|HOSP|||20250312142600+0100||ORU^R01|M1|P|2.5.1\rPID|1||\r");
        for (var i = 1; i <= 18; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"OBR|{i}||F{i}|X^X^L|||20250310080000+0100\rOBX|1|NM|2951-2^Sodium^LN||140|mmol/L|||||F\r");
        }

        var (stored, errors, skipped, _) = Text(text.ToString());

        Assert.Empty(stored);
        Assert.Empty(errors);
        Assert.Equal(18, skipped);

        var followed = Text(text.ToString().Replace("2951-2^Sodium", "2465-3^IgG", StringComparison.Ordinal));
        Assert.Contains("its 18 result(s) of followed analytes were not read", Assert.Single(followed.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdtMessage_IsReportedAsNotAResultMessage()
    {
        await using var pipeline = new InMemoryPipeline();

        var report = await pipeline.DropAsync("lab/adt.hl7", "MSH|^~\\&|ADT|HOSP|||20250312142600+0100||ADT^A01|A1|P|2.5.1\rEVN|A01\rPID|1||PT-1^^^HOSP^MR\rPV1|1|I\r");

        Assert.Equal((0, 0, 1), (report.Stored, report.Rejected, report.Skipped));
        Assert.Equal("1 skipped: 1 not a result message (ADT^A01)", IngestionReportText.Skipped(report));
    }

    [Fact]
    public async Task FileWithRejectedRows_RaisesOneIngestRejectedOpsAlert_NamingFileAndCounts_NoValues()
    {
        await using var pipeline = new InMemoryPipeline();
        const string content = CsvHeader + "PT-1,2024-09-10T08:00:00+02:00,plt,\"210,000\",{cells}/uL,\nPT-1,2024-09-10T08:00:00+02:00,igg,450,mg/dL,\n";

        var report = await pipeline.DropAsync("lab/a.csv", content);
        await pipeline.DropAsync("lab/copy.csv", content);

        Assert.Equal((1, 1), (report.Stored, report.Rejected));
        var alert = Assert.Single(await pipeline.Alerts.ListForPatientAsync(PoisonMessageAlerts.OpsPartition, default)).Alert;
        Assert.Equal(RejectedFileAlerts.RuleId, alert.RuleId);
        Assert.Contains("lab/a.csv", alert.Summary, StringComparison.Ordinal);
        Assert.Contains("1 result(s) rejected, 1 stored", alert.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("210", alert.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("PT-1", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileWhoseEveryResultIsRejected_IsRejected_NotPartialWithNothingStored()
    {
        await using var pipeline = new InMemoryPipeline();

        var report = await pipeline.DropAsync("lab/all-bad.csv", CsvHeader + "PT-1,2024-09-10T08:00:00+02:00,plt,\"210,000\",{cells}/uL,\nPT-1,2024-09-10T08:00:00+02:00,igg,1.200,g/L,\n");

        Assert.Equal((IngestionStatus.Rejected, 0, 2), (report.Status, report.Stored, report.Rejected));
    }

    [Fact]
    public async Task IngestRejected_FollowsTheFile_UpdatedWhenAReplayRejectsLess_RetractedWhenItStoresEverything()
    {
        await using var pipeline = new InMemoryPipeline();
        var rejected = pipeline.Get<RejectedFileAlerts>();
        var first = new IngestionReport { File = "lab/a.csv", Format = LabFileFormat.Csv, ContentSha256 = "abc", Status = IngestionStatus.Partial, Stored = 1, Rejected = 2 };

        Assert.True(await rejected.ReportAsync(first, default));
        Assert.False(await rejected.ReportAsync(first with { File = "lab/copy.csv" }, default)); // a copy: nothing new
        Assert.True(await rejected.ReportAsync(first with { Stored = 2, Rejected = 1 }, default)); // a replay after a config fix
        var updated = Assert.Single(await pipeline.Alerts.ListForPatientAsync(PoisonMessageAlerts.OpsPartition, default)).Alert;
        Assert.True(await rejected.ReportAsync(first with { Status = IngestionStatus.Processed, Stored = 3, Rejected = 0 }, default));
        var retracted = Assert.Single(await pipeline.Alerts.ListForPatientAsync(PoisonMessageAlerts.OpsPartition, default)).Alert;

        Assert.Equal((AlertStatus.Open, 2, "1 result(s) of a lab file rejected"), (updated.Status, updated.Revision, updated.Title));
        Assert.StartsWith("processed again: Lab file lab/a.csv (CSV): 1 result(s) rejected, 2 stored", updated.Change, StringComparison.Ordinal);
        Assert.Equal((AlertStatus.Retracted, 3), (retracted.Status, retracted.Revision));
        Assert.Contains("none of its results was rejected: 3 stored", retracted.RetractionReason, StringComparison.Ordinal);
    }
}

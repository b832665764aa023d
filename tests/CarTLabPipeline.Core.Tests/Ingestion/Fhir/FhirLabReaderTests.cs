using System.Text;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Fhir;
using CsCheck;
using Microsoft.Extensions.Options;
using static CarTLabPipeline.Core.Tests.IngestionHarness;

namespace CarTLabPipeline.Core.Tests.Ingestion.Fhir;

public class FhirLabReaderTests
{
    private static string Observation(string body) =>
        $$"""{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2465-3"}]},"subject":{"reference":"Patient/PT-9"},"effectiveDateTime":"2025-01-10T08:00:00+01:00"{{body}}}""";

    [Fact]
    public void ClinicalExampleBundle_ResolvesPatientSpecimenAndSensitivityComponent()
    {
        var (stored, errors, _, format) = IngestFile("golden", "clinical-example.json");

        Assert.Equal(LabFileFormat.FhirJson, format);
        Assert.Empty(errors);
        var mrd = stored.Single(r => r.Analyte == Analyte.Mrd);
        Assert.Equal(("SYN0001", "<", 0.01m, 0.0001m, "Bone marrow specimen"), (mrd.PatientId, mrd.Comparator, mrd.Value, mrd.Sensitivity, mrd.Specimen));
        Assert.Equal("ext:urn:lis:obx|FIL2001-1", mrd.Identity);
        Assert.Equal(265m, stored.Single(r => r.Analyte == Analyte.IgG).Value);
    }

    [Fact]
    public void SingleObservation_TakesThePatientFromTheReference()
    {
        var r = Assert.Single(IngestText(Observation(""","valueQuantity":{"value":2.5,"unit":"g/L"}""")).Stored);

        Assert.Equal(("PT-9", 250m), (r.PatientId, r.Value));
    }

    [Theory]
    [InlineData("""valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260415000"}]}""", false)]
    [InlineData("""valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260373001"}]}""", true)]
    [InlineData("valueString\":\"Not detected\"", false)]
    public void QualitativeValues_SetDetected(string value, bool detected)
    {
        var json = Observation(",\"" + value).Replace("2465-3", "67128-9", StringComparison.Ordinal);

        Assert.Equal(detected, Assert.Single(IngestText(json).Stored).Detected);
    }

    [Theory]
    [InlineData("entered-in-error", ResultStatus.Cancelled)]
    [InlineData("corrected", ResultStatus.Corrected)]
    [InlineData("amended", ResultStatus.Corrected)]
    [InlineData("preliminary", ResultStatus.Preliminary)]
    public void Status_MapsObservationStatus(string status, ResultStatus expected)
    {
        var json = Observation(""","valueQuantity":{"value":250,"code":"mg/dL"}""").Replace("\"final\"", $"\"{status}\"", StringComparison.Ordinal);

        Assert.Equal(expected, Assert.Single(IngestText(json).Stored).Status);
    }

    [Fact]
    public void UnknownCode_IsSkippedNotAnError()
    {
        var (stored, errors, skipped, _) = IngestText(Observation(""","valueQuantity":{"value":5}""").Replace("2465-3", "2345-7", StringComparison.Ordinal));

        Assert.Equal((0, 0, 1), (stored.Count, errors.Count, skipped));
    }

    [Fact]
    public void ObservationWithoutTime_IsARowErrorWithItsPath()
    {
        var bundle = """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2465-3"}]},"subject":{"reference":"Patient/PT-9"},"valueQuantity":{"value":250,"code":"mg/dL"}}}]}""";

        var error = Assert.Single(IngestText(bundle).Errors);

        Assert.Equal(("Bundle.entry[0]", "effective[x]"), (error.Segment, error.Field));
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","entry":[""")]
    [InlineData("""{"resourceType":"Patient","id":"x"}""")]
    [InlineData("""{"hello":"world"}""")]
    public void NotLabResults_IsATypedFormatError(string json)
    {
        Assert.Throws<LabFileFormatException>(() => IngestText(json));
    }

    [Fact]
    public void MutatedJson_YieldsItemsOrFormatErrorAndNothingElse()
    {
        var seed = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "golden", "clinical-example.json"));
        Gen.Select(Gen.Int[0, seed.Length - 1], Gen.Byte).Array[0, 8].Sample(mutations =>
        {
            var bytes = (byte[])seed.Clone();
            foreach (var (at, value) in mutations)
            {
                bytes[at] = value;
            }

            try
            {
                _ = new FhirLabReader(Options.Create(new IngestionOptions())).Read(new MemoryStream(bytes), "fuzz.json", CancellationToken.None).ToList();
            }
            catch (LabFileFormatException)
            {
                // the typed error is an allowed outcome
            }
        }, iter: 1000);
    }

    [Fact]
    public void LargeBundle_IsReadEntryByEntry_ReferencesAfterTheObservationsStillResolve()
    {
        // Over 4 MB (spooled to a file), a 200 KB property before the entries (skipped token by token across buffer
        // refills), an entry over the 64 KB buffer, fullUrl after the resource, and the Patient and DiagnosticReport the
        // Observations refer to listed after them.
        const int count = 14_000;
        var json = new StringBuilder("""{"resourceType":"Bundle","type":"collection","meta":{"tag":[""");
        for (var i = 0; i < 4_000; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("""{"code":"padding-padding-padding-padding"}""");
        }

        json.Append("]},\"entry\":[");
        var note = new string('n', 100_000);
        for (var i = 0; i < count; i++)
        {
            var effective = i == 0 ? "" : $$""","effectiveDateTime":"2025-01-{{1 + (i % 28):D2}}T08:00:00+01:00",""";
            var extra = i == 1 ? $$""","note":[{"text":"{{note}}"}]""" : "";
            json.Append(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{"resource":{"resourceType":"Observation","id":"o{{i}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2465-3"}]},"subject":{"reference":"urn:uuid:6b1e8c4e-2a7d-4a53-9d0e-0c4f7b7d2a11"}{{(effective.Length == 0 ? "," : effective)}}"valueQuantity":{"value":{{200 + (i % 300)}},"unit":"mg/dL"}{{extra}}},"fullUrl":"urn:uuid:00000000-0000-0000-0000-{{i:D12}}"},""");
        }

        json.Append("""{"fullUrl":"urn:uuid:6b1e8c4e-2a7d-4a53-9d0e-0c4f7b7d2a11","resource":{"resourceType":"Patient","identifier":[{"type":{"coding":[{"code":"MR"}]},"value":"PT-BIG"}]}},""");
        json.Append("""{"resource":{"resourceType":"DiagnosticReport","status":"final","code":{"text":"IgG"},"effectiveDateTime":"2025-01-05T07:30:00+01:00","result":[{"reference":"urn:uuid:00000000-0000-0000-0000-000000000000"}]}}]}""");
        Assert.True(json.Length > 4 * 1024 * 1024);

        var (stored, errors, _, _) = IngestText(json.ToString(), "lab/big.json");

        Assert.Empty(errors);
        Assert.Equal(count, stored.Count);
        Assert.All(stored, r => Assert.Equal("PT-BIG", r.PatientId));
        var first = stored.Single(r => r.SourceSegment == "Bundle.entry[0]");
        Assert.Equal(new DateTimeOffset(2025, 1, 5, 7, 30, 0, TimeSpan.FromHours(1)), first.CollectedAt);
        Assert.Equal("Bundle.entry[13999]", stored[^1].SourceSegment);
    }

    [Fact]
    public void BundleWithASyntaxErrorLate_IsRejectedWithTheLine_BeforeAnyObservationIsRead()
    {
        var json = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[\n");
        for (var i = 0; i < 3_000; i++)
        {
            json.Append("{\"resource\":").Append(Observation(""","valueQuantity":{"value":250,"code":"mg/dL"}""")).Append("},\n");
        }

        json.Append("{\"resource\":{]}\n]}");

        var read = 0;
        var ex = Assert.Throws<LabFileFormatException>(() =>
        {
            using var file = Parser().Open(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString())), "lab/broken.json", null, CancellationToken.None);
            foreach (var item in file.Items)
            {
                read++;
            }
        });

        Assert.Equal(0, read);
        var error = ex.Error;
        Assert.Equal(3_002, error.Line);
        Assert.StartsWith("malformed JSON", error.Reason, StringComparison.Ordinal);
    }
}

public class ThreeFormatEquivalenceTests
{
    [Fact]
    public void SameResultsInCsvHl7AndFhir_GiveIdenticalStoredResultsAndAlerts()
    {
        var formats = new[] { "equivalence.csv", "equivalence.hl7", "equivalence.json" }.Select(f => IngestFile("golden", f)).ToList();

        Assert.Equal([LabFileFormat.Csv, LabFileFormat.Hl7v2, LabFileFormat.FhirJson], formats.Select(f => f.Format));
        Assert.All(formats, f => Assert.Empty(f.Errors));
        var shapes = formats.Select(f => f.Stored.OrderBy(r => r.ResultId, StringComparer.Ordinal)
            .Select(r => (r.ResultId, r.PatientId, r.Analyte, r.Value, r.Comparator, r.Unit, r.CollectedAt, r.Status, r.Sensitivity)).ToList()).ToList();
        Assert.Equal(4, shapes[0].Count);
        Assert.Equal(shapes[0], shapes[1]);
        Assert.Equal(shapes[0], shapes[2]);

        var enrollment = TestData.Enrollment("PT-EQ1") with { EnrolledAt = TestData.Now };
        var alerts = formats.Select(f => TestData.Engine().Evaluate(enrollment, f.Stored, TestData.Now).ToList()).ToList();
        Assert.Equal(["igg.low", "mrd.negative-conversion"], alerts[0].Select(a => a.RuleId).Order());
        Assert.Equal(alerts[0].Select(a => a.AlertId), alerts[1].Select(a => a.AlertId));
        Assert.Equal(alerts[0].Select(a => a.AlertId), alerts[2].Select(a => a.AlertId));

        // The texts cite each value as its lab sent it: the CSV's IgG came in g/L, the HL7's in mg/dL.
        Assert.Contains("IgG 2.8 g/L (280 mg/dL)", alerts[0].Single(a => a.RuleId == "igg.low").Summary, StringComparison.Ordinal);
        Assert.Contains("IgG 280 mg/dL", alerts[1].Single(a => a.RuleId == "igg.low").Summary, StringComparison.Ordinal);
    }
}

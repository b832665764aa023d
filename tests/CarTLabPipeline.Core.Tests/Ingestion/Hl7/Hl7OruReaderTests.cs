using System.Text;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ingestion.Hl7;
using CsCheck;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Core.Tests.Ingestion.Hl7;

public class Hl7OruReaderTests
{
    private static Hl7OruReader CreateSut(IngestionOptions? options = null) => new(Options.Create(options ?? new IngestionOptions()));

    private static List<ReadItem> Read(string text, string name = "lab/file.hl7", IngestionOptions? options = null) =>
        CreateSut(options).Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, CancellationToken.None).ToList();

    private static List<ReadItem> ReadFile(params string[] path) =>
        CreateSut().Read(File.OpenRead(Path.Combine([AppContext.BaseDirectory, "Data", .. path])), path[^1], CancellationToken.None).ToList();

    /// <summary>Reader + normaliser, as ingestion runs them.</summary>
    private static (List<LabResult> Stored, List<IngestionError> Errors, int Skipped) Ingest(List<ReadItem> items)
    {
        var normalizer = TestData.Normalizer();
        var stored = new List<LabResult>();
        var errors = items.Where(i => i.Error is not null).Select(i => i.Error!).ToList();
        foreach (var r in items.Where(i => i.Result is not null))
        {
            var outcome = normalizer.Normalize(r.Result!, "file.hl7");
            if (outcome.Result is { } ok)
            {
                stored.Add(ok);
            }
            else
            {
                errors.Add(outcome.Error!);
            }
        }

        return (stored, errors, items.Count(i => i.Skipped is not null));
    }

    [Fact]
    public void NistCbc_MapsMethodLessCodesAndConvertsCellsPerMicrolitre()
    {
        var (stored, errors, skipped) = Ingest(ReadFile("conformance", "hl7v2", "LRI_2.0-NG_CBC_Typ_Message.hl7"));

        var byAnalyte = stored.ToDictionary(r => r.Analyte, r => r.Value);
        Assert.Equal(105.6m, byAnalyte[Analyte.Wbc]);
        Assert.Equal(210m, byAnalyte[Analyte.Plt]);
        Assert.Equal(58m, byAnalyte[Analyte.Anc]);
        Assert.Equal(41.2m, byAnalyte[Analyte.Alc]);
        Assert.Equal("PATID1234", stored[0].PatientId);
        Assert.Equal(new DateTimeOffset(2011, 1, 3, 14, 34, 28, TimeSpan.FromHours(-8)), stored[0].CollectedAt);
        var hb = Assert.Single(errors);
        Assert.Contains("implausible hgb 1250 g/dL", hb.Reason, StringComparison.Ordinal);
        Assert.Equal(("OBX[2] of message NIST-LRI-NG-002.00", "value"), (hb.Segment, hb.Field));
        Assert.Equal(23, skipped); // CWE, TX and the analytes we do not follow
    }

    [Fact]
    public void EuropeanLabMessages_SkipMislabelledMorphologyCodes_AndReportTheUnknownUnit()
    {
        var (stored1, errors1, skipped1) = Ingest(ReadFile("conformance", "hl7v2", "LAB-ORU-1.hl7"));
        var (stored2, errors2, _) = Ingest(ReadFile("conformance", "hl7v2", "LAB-ORU-2.hl7"));

        Assert.Empty(stored1); // 11156-7/11125-2 are morphology codes: never mapped by their display text
        Assert.Empty(errors1);
        Assert.Equal(10, skipped1);
        Assert.Empty(stored2);
        var unit = Assert.Single(errors2);
        Assert.Contains("unknown unit 'g/l-1' for hgb", unit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Hl7v24WithoutCartAnalytes_ReadsCleanlyStoringNothing()
    {
        var (stored, errors, skipped) = Ingest(ReadFile("conformance", "hl7v2", "ORU-R01-RMGEAD.hl7"));

        Assert.Empty(stored);
        Assert.Empty(errors);
        Assert.Equal(1, skipped);
    }

    [Fact]
    public void ClinicalExample_ReadsCensoredMrdWithSensitivityFromNteAndEscapes()
    {
        var (stored, errors, _) = Ingest(ReadFile("golden", "clinical-example.hl7"));

        Assert.Empty(errors);
        var mrd = stored.Single(r => r.Analyte == Analyte.Mrd);
        Assert.Equal(("SYN0001", "<", 0.01m, "%", 0.0001m), (mrd.PatientId, mrd.Comparator, mrd.Value, mrd.Unit, mrd.Sensitivity));
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 8, 30, 0, TimeSpan.FromHours(1)), mrd.CollectedAt);
        Assert.Equal("acc:FIL2001|mrd|", mrd.Identity);
        Assert.Equal("Marrow", mrd.Specimen);
        var igg = stored.Single(r => r.Analyte == Analyte.IgG);
        Assert.Equal((265m, "Serum", ResultStatus.Final), (igg.Value, igg.Specimen, igg.Status));
    }

    [Fact]
    public void Framing_MllpBatchEnvelopeAndMixedLineEnds_AreTolerated()
    {
        const string Msh = "MSH|^~\\&|LIS|LAB|||20250101||ORU^R01|C1|P|2.5.1";
        var text = "FHS|^~\\&\r\nBHS|^~\\&\n\v" + Msh + "\rPID|1||PT-9^^^H^MR\nOBR|1||F1|X|||20250101080000+0100\r\n" +
                   "OBX|1|NM|2465-3^IgG^LN||250|mg/dL|||||F\u001c\r\nBTS|1\nFTS|1\n";

        var (stored, errors, _) = Ingest(Read(text));

        Assert.Empty(errors);
        Assert.Equal(("PT-9", 250m), (Assert.Single(stored).PatientId, stored[0].Value));
    }

    [Theory]
    [InlineData("C", ResultStatus.Corrected)]
    [InlineData("P", ResultStatus.Preliminary)]
    [InlineData("X", ResultStatus.Cancelled)]
    [InlineData("F", ResultStatus.Final)]
    public void Status_MapsOBX11(string obx11, ResultStatus expected)
    {
        var text = $"MSH|^~\\&|LIS|LAB|||20250101||ORU^R01|C1|P|2.5.1\rPID|1||PT-9^^^H^MR\rOBR|1||F1|X|||20250101080000+0100\rOBX|1|NM|2465-3^IgG^LN||{(obx11 == "X" ? "" : "250")}|mg/dL|||||{obx11}\r";

        Assert.Equal(expected, Assert.Single(Ingest(Read(text)).Stored).Status);
    }

    [Fact]
    public void LocalCodes_MapPerLabFolderOrDefault()
    {
        var options = new IngestionOptions();
        options.LocalCodes["hospital-a"] = new(StringComparer.Ordinal) { ["BCD19"] = "cd19_pct" };
        options.LocalCodes[IngestionOptions.DefaultLabKey] = new(StringComparer.Ordinal) { ["IGGX"] = "igg" };
        var text = "MSH|^~\\&|LIS|LAB|||20250101||ORU^R01|C1|P|2.5.1\rPID|1||PT-9^^^H^MR\rOBR|1||F1|X|||20250101080000+0100\r" +
                   "OBX|1|NM|BCD19^CD19 %^L||3.5|%|||||F\rOBX|2|NM|IGGX^IgG^99LOC||250|mg/dL|||||F\r";

        Assert.Equal([Analyte.Cd19Pct, Analyte.IgG], Ingest(Read(text, "hospital-a/x.hl7", options)).Stored.Select(r => r.Analyte));
        Assert.Equal([Analyte.IgG], Ingest(Read(text, "hospital-b/x.hl7", options)).Stored.Select(r => r.Analyte));
    }

    [Fact]
    public void MessageWithoutPatient_ReportsItsResultsOnceAndReadsTheNext()
    {
        var text = "MSH|^~\\&|LIS|LAB|||20250101||ORU^R01|C1|P|2.5.1\rOBR|1||F1|X|||20250101080000+0100\rOBX|1|NM|2465-3^IgG^LN||250|mg/dL|||||F\r" +
                   "MSH|^~\\&|LIS|LAB|||20250101||ORU^R01|C2|P|2.5.1\rPID|1||PT-9^^^H^MR\rOBR|1||F2|X|||20250102080000+0100\rOBX|1|NM|2465-3^IgG^LN||260|mg/dL|||||F\r";

        var (stored, errors, _) = Ingest(Read(text));

        Assert.Contains("PID-3", Assert.Single(errors).Reason, StringComparison.Ordinal);
        Assert.Equal(260m, Assert.Single(stored).Value);
    }

    [Fact]
    public void NotAnOruMessage_IsReportedAsNotAResultMessage_NotRead()
    {
        var text = "MSH|^~\\&|LIS|LAB|||20250101||ADT^A01|C1|P|2.5.1\rPID|1||PT-9^^^H^MR\rOBR|1||F1|X|||20250101080000+0100\rOBX|1|NM|2465-3^IgG^LN||250|mg/dL|||||F\r";

        var items = Read(text);

        var skipped = Assert.Single(items).Skipped!;
        Assert.Equal((SkipKind.NotAResultMessage, "ADT^A01"), (skipped.Kind, skipped.Code));
    }

    [Theory]
    [InlineData(@"a\F\b\S\c\T\d\R\e\E\f", "a|b^c&d~e\\f")]
    [InlineData(@"line1\.br\line2", "line1\nline2")]
    [InlineData(@"\X41C3A9\", "Aé")]
    public void Unescape_DecodesEveryEscapeSequence(string escaped, string expected)
    {
        Assert.Equal(expected, Hl7Segment.Unescape(escaped, Hl7Delimiters.Default));
    }

    [Fact]
    public void ArbitraryAndMutatedInput_YieldsItemsOrFormatErrorAndNothingElse()
    {
        var seed = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "golden", "clinical-example.hl7"));
        Gen.Select(Gen.Int[0, seed.Length - 1], Gen.Byte, Gen.Int[0, 3]).Array[0, 20].Sample(mutations =>
        {
            var bytes = (byte[])seed.Clone();
            foreach (var (at, value, kind) in mutations)
            {
                bytes[at] = kind == 0 ? (byte)'|' : kind == 1 ? (byte)'\r' : kind == 2 ? (byte)'^' : value;
            }

            try
            {
                _ = Ingest(CreateSut().Read(new MemoryStream(bytes), "fuzz.hl7", CancellationToken.None).ToList());
            }
            catch (LabFileFormatException)
            {
                // the typed error is an allowed outcome
            }
        }, iter: 3000);
    }
}

using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Core.Tests.Ingestion;

public class ResultNormalizerTests
{
    private static NormalizeOutcome Normalize(string analyte, string value, string? unit, string collected = "2024-10-11T07:30:00+02:00", string? status = null,
        string? sensitivity = null, string zone = "UTC") =>
        TestData.Normalizer(zone).Normalize(new RawResult
        {
            PatientId = "PT-1",
            AnalyteCode = analyte,
            ValueText = value,
            Unit = unit,
            CollectedAtText = collected,
            StatusText = status,
            SensitivityText = sensitivity,
            Line = 7,
        }, "file.csv");

    [Theory]
    [InlineData("igg", "2.8", "g/L", 280)]
    [InlineData("igg", "250", "mg/dL", 250)]
    [InlineData("2465-3", "250", "mg/dl", 250)]
    [InlineData("anc", "1200", "/uL", 1.2)]
    [InlineData("anc", "1.2", "x10E9/L", 1.2)]
    [InlineData("anc", "1.2", "G/L", 1.2)]
    [InlineData("anc", "1.2", "K/uL", 1.2)]
    [InlineData("plt", "210000", "{cells}/uL", 210)]
    [InlineData("cd4_abs", "0.34", "10^9/L", 340)]
    [InlineData("cd4_abs", "340", "/mm3", 340)]
    [InlineData("hgb", "102", "g/L", 10.2)]
    [InlineData("hgb", "6.2", "mmol/L", 10.0)] // 9.9882 at the precision sent (0.1 mmol/L → 0.1 g/dL)
    public void Normalize_KnownUnitSpellings_ConvertToTheCanonicalUnit(string analyte, string value, string unit, double expected)
    {
        var outcome = Normalize(analyte, value, unit);

        Assert.Null(outcome.Error);
        Assert.Equal((decimal)expected, outcome.Result!.Value);
        Assert.Equal(AnalyteCatalog.Get(outcome.Result.Analyte).CanonicalUnit, outcome.Result.Unit);
        Assert.Equal(unit, outcome.Result.OriginalUnit);
    }

    [Fact]
    public void Normalize_UnknownUnit_IsRejectedWithReasonNeverGuessed()
    {
        var outcome = Normalize("igg", "250", "mmol/L");

        Assert.Null(outcome.Result);
        Assert.Equal((7, "unit"), (outcome.Error!.Line, outcome.Error.Field));
        Assert.Contains("unknown unit 'mmol/L' for igg", outcome.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_ImplausibleHaemoglobin_IsRejectedWithPlausibilityReason()
    {
        var outcome = Normalize("hgb", "12.5", "g/mL");

        Assert.Contains("implausible hgb 1250 g/dL", outcome.Error!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_CensoredMrd_KeepsComparatorValueAndText()
    {
        var result = Normalize("mrd", "<0.01", "%", sensitivity: "1e-4").Result!;

        Assert.Equal(("<", 0.01m, "%", "<0.01"), (result.Comparator, result.Value, result.Unit, result.OriginalValue));
        Assert.Equal(0.0001m, result.Sensitivity);
        Assert.Equal(0.0001m, result.MrdFraction);
    }

    [Theory]
    [InlineData("not detected", false)]
    [InlineData("NEG", false)]
    [InlineData("MRD negative (<0.01%)", false)]
    [InlineData("detected", true)]
    public void Normalize_QualitativeTexts_SetDetected(string text, bool detected)
    {
        var result = Normalize("mrd", text, "%").Result!;

        Assert.Equal(detected, result.Detected);
    }

    [Fact]
    public void Normalize_TimestampWithoutOffset_IsReadInTheConfiguredZone()
    {
        var result = Normalize("igg", "250", "mg/dL", collected: "2024-10-11T07:30:00", zone: "Europe/Rome").Result!;

        Assert.Equal(new DateTimeOffset(2024, 10, 11, 7, 30, 0, TimeSpan.FromHours(2)), result.CollectedAt);
        Assert.Equal(TimeSpan.FromHours(2), result.CollectedAt.Offset);
    }

    [Theory]
    [InlineData("abc", "value")]
    [InlineData("", "value")]
    [InlineData("-5", "value")]
    public void Normalize_BadValues_AreRowErrors(string value, string field)
    {
        Assert.Equal(field, Normalize("igg", value, "mg/dL").Error!.Field);
    }

    [Fact]
    public void Normalize_FutureCollectionTime_IsRejected()
    {
        Assert.Contains("future", Normalize("igg", "250", "mg/dL", collected: "2030-01-01T00:00:00Z").Error!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_CancelledWithoutValue_IsAcceptedAsWithdrawal()
    {
        var result = Normalize("igg", "", "mg/dL", status: "cancelled").Result!;

        Assert.Equal(ResultStatus.Cancelled, result.Status);
        Assert.False(result.IsEvaluable);
    }

    [Fact]
    public void Normalize_SameResultInAnyUnit_HasTheSameId()
    {
        Assert.Equal(Normalize("igg", "2.5", "g/L").Result!.ResultId, Normalize("2465-3", "250", "mg/dL").Result!.ResultId);
    }

    [Theory]
    [InlineData("1e-4", 0.0001)]
    [InlineData("0.01%", 0.0001)]
    [InlineData("1x10^-4", 0.0001)]
    [InlineData("10^-5", 0.00001)]
    [InlineData("1 in 10000", 0.0001)]
    public void TryParseSensitivity_CommonWritings_GiveTheFraction(string text, double expected)
    {
        Assert.True(ValueParser.TryParseSensitivity(text, out var fraction));
        Assert.Equal((decimal)expected, fraction);
    }
}

public class ResultNormalizerBoundsTests
{
    private static NormalizeOutcome Normalize(RawResult raw) => TestData.Normalizer().Normalize(raw, "lab/file.csv");

    private static RawResult Raw(string value = "250", string? specimen = "serum", string? method = null, string collected = "2024-10-11T07:30:00+02:00",
        string? status = null, string? accession = null) => new()
        {
            PatientId = "PT-1",
            AnalyteCode = "igg",
            ValueText = value,
            Unit = "mg/dL",
            CollectedAtText = collected,
            Specimen = specimen,
            Method = method,
            StatusText = status,
            Accession = accession,
            Line = 3,
        };

    [Fact]
    public void FreeTextFieldTooLongForATableProperty_RejectsTheRowWithFieldAndLength_QuotingNoneOfIt()
    {
        var error = Normalize(Raw(method: new string('x', 40_000))).Error!;
        Assert.Equal(("method", 3), (error.Field, error.Line));
        Assert.Equal("method is 40000 characters long; at most 256 are accepted", error.Reason);
    }

    [Fact]
    public void UnreadableValue_IsQuotedShortInTheReason()
    {
        var error = Normalize(Raw(value: new string('y', 200))).Error!;
        Assert.True(error.Reason.Length < 200, error.Reason);
        Assert.Contains("(200 characters)", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=cmd|' /C calc'!A0", null)]
    [InlineData("serum", "@SUM(1+1)")]
    public void SpreadsheetFormulaInATextField_IsRejected(string specimen, string? accession)
    {
        var error = Normalize(Raw(specimen: specimen, accession: accession)).Error!;
        Assert.Contains("spreadsheet formula", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CollectedIn1850_IsRejected()
    {
        Assert.Equal("collected_at", Normalize(Raw(collected: "1850-10-11T07:30:00+00:00")).Error!.Field);
    }

    [Fact]
    public void CancellationRepeatingAnUnreadableValue_StillWithdraws()
    {
        var result = Normalize(Raw(value: "see report", status: "cancelled")).Result!;
        Assert.Equal((ResultStatus.Cancelled, null), (result.Status, result.Value));
    }

    [Fact]
    public void Identity_AccessionThenFallback_AndVersionIdIgnoresWhereItCameFrom()
    {
        var withAccession = Normalize(Raw(accession: " cl-45 ")).Result!;
        var fallback = Normalize(Raw()).Result!;
        Assert.Equal("acc:CL-45|igg|", withAccession.Identity);
        Assert.StartsWith("at:igg|serum|2024-10-11T05:30:00", fallback.Identity, StringComparison.Ordinal);
        var elsewhere = TestData.Normalizer().Normalize(Raw(accession: "CL-45") with { Line = 99 }, "other/file.csv", TestData.Now.AddDays(3)).Result!;
        Assert.Equal((withAccession.ResultId, withAccession.VersionId), (elsewhere.ResultId, elsewhere.VersionId));
    }
}

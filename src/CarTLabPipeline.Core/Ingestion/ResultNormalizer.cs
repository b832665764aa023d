using System.Globalization;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Units;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion;

/// <summary>Outcome of normalising one raw result.</summary>
public readonly record struct NormalizeOutcome(LabResult? Result, IngestionError? Error);

/// <summary>
/// Turns a <see cref="RawResult"/> into a stored <see cref="LabResult"/>: analyte (keyword or LOINC), value and comparator,
/// unit converted to the canonical unit, plausibility, status, collection time with offset, deterministic id.
/// </summary>
public sealed class ResultNormalizer(IOptions<IngestionOptions> options, TimeProvider time)
{
    private readonly TimeZoneInfo _defaultZone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.DefaultTimeZone);
    private readonly TimeSpan _futureTolerance = options.Value.FutureTolerance;

    public NormalizeOutcome Normalize(RawResult raw, string sourceFile)
    {
        ArgumentNullException.ThrowIfNull(raw);
        IngestionError Fail(string? field, string reason) => new(raw.Line == 0 ? null : raw.Line, raw.Segment, field, reason);

        var patientId = raw.PatientId.Trim();
        if (!EnrollmentValidator.PatientIdPattern().IsMatch(patientId))
        {
            return new(null, Fail("patient_id", "patient_id must be 1–64 letters, digits or . _ - : @"));
        }

        if (!AnalyteCatalog.TryResolve(raw.AnalyteCode, out var analyte))
        {
            return new(null, Fail("analyte", $"unknown analyte '{raw.AnalyteCode}' (use a keyword such as igg, cd4_abs, or a mapped LOINC code)"));
        }

        if (!ResultStatusParser.TryParse(raw.StatusText, out var status))
        {
            return new(null, Fail("status", $"unknown status '{raw.StatusText}' (final, preliminary, corrected, cancelled)"));
        }

        var collectedAt = raw.CollectedAt;
        if (collectedAt is null)
        {
            if (!TryParseTimestamp(raw.CollectedAtText, out var parsed))
            {
                return new(null, Fail("collected_at", $"collected_at '{raw.CollectedAtText}' is not an ISO 8601 date-time"));
            }

            collectedAt = parsed;
        }

        if (collectedAt.Value > time.GetUtcNow() + _futureTolerance)
        {
            return new(null, Fail("collected_at", "collected_at lies in the future"));
        }

        decimal? sensitivity = null;
        if (!string.IsNullOrWhiteSpace(raw.SensitivityText))
        {
            if (!ValueParser.TryParseSensitivity(raw.SensitivityText, out var s))
            {
                return new(null, Fail("sensitivity", $"sensitivity '{raw.SensitivityText}' is not a fraction, percentage or power of ten"));
            }

            sensitivity = s;
        }

        var id = ResultIds.ForResult(patientId, analyte.Analyte, collectedAt.Value);
        var unitText = raw.Unit?.Trim() ?? string.Empty;
        var result = new LabResult
        {
            ResultId = id,
            PatientId = patientId,
            Analyte = analyte.Analyte,
            Loinc = AnalyteCatalog.TryResolveLoinc(raw.AnalyteCode, out _) ? raw.AnalyteCode.Trim() : analyte.Loinc,
            Unit = analyte.CanonicalUnit,
            OriginalValue = raw.ValueText,
            OriginalUnit = unitText,
            CollectedAt = collectedAt.Value,
            Status = status,
            Specimen = raw.Specimen,
            Method = raw.Method,
            Lab = raw.Lab,
            SourceKey = raw.SourceKey,
            SourceFile = sourceFile,
            SourceLine = raw.Line,
            Sensitivity = sensitivity,
        };

        if (string.IsNullOrWhiteSpace(raw.ValueText))
        {
            // A withdrawal needs no value; anything else does.
            return status == ResultStatus.Cancelled
                ? new(result with { Unit = unitText.Length > 0 ? unitText : analyte.CanonicalUnit }, null)
                : new(null, Fail("value", "missing value"));
        }

        if (!ValueParser.TryParse(raw.ValueText, out var value))
        {
            return new(null, Fail("value", $"value '{raw.ValueText}' is not a number, a censored number (<0.01) or detected/not detected"));
        }

        if (value.Number is not { } number)
        {
            return new(result with { Detected = value.Detected, Unit = analyte.Family == UnitFamily.MrdFraction ? "%" : analyte.CanonicalUnit }, null);
        }

        if (number < 0)
        {
            return new(null, Fail("value", $"negative value {raw.ValueText}"));
        }

        var unit = unitText.Length > 0 ? unitText : value.ImpliedUnit;
        var converted = UnitConverter.Convert(analyte, number, unit);
        if (!converted.Succeeded)
        {
            return new(null, Fail("unit", converted.Error!));
        }

        var max = analyte.Family == UnitFamily.MrdFraction && converted.Unit == "1" ? 1m : analyte.PlausibleMax;
        if (converted.Value > max)
        {
            return new(null, Fail("value", string.Create(CultureInfo.InvariantCulture,
                $"implausible {analyte.Keyword} {converted.Value:0.###} {converted.Unit} (from {raw.ValueText} {unit}); the largest possible is {max} {converted.Unit}")));
        }

        return new(result with
        {
            Value = converted.Value,
            Unit = converted.Unit,
            Comparator = value.Comparator,
            Detected = value.Detected,
        }, null);
    }

    private bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        var t = text.Trim();
        if (!DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowWhiteSpaces, out var dt))
        {
            return false;
        }

        if (dt.Kind == DateTimeKind.Unspecified)
        {
            value = new DateTimeOffset(dt, _defaultZone.GetUtcOffset(dt));
            return true;
        }

        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value);
    }
}

using System.Globalization;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Units;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Turns a <see cref="RawResult"/> into a stored <see cref="LabResult"/>: analyte (keyword or LOINC), value and comparator,
/// unit converted to the canonical unit, plausibility, status, collection time with offset, deterministic id — each under
/// the conventions of the lab that sent it (<see cref="IngestionOptions.ConventionsFor"/>: time zone, date order, decimal
/// separator, MRD unit). What is ambiguous under them is rejected with the setting that resolves it, never guessed.
/// </summary>
public sealed class ResultNormalizer(IOptions<IngestionOptions> options, TimeProvider time)
{
    private readonly IngestionOptions _options = options.Value;
    private readonly TimeSpan _futureTolerance = options.Value.FutureTolerance;

    /// <summary>Longest text accepted per field (a table property holds 32K characters; no lab field is near these).</summary>
    public static readonly IReadOnlyDictionary<string, int> MaxFieldLengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["analyte"] = 64,
        ["value"] = 256,
        ["unit"] = 64,
        ["collected_at"] = 64,
        ["reported_at"] = 64,
        ["status"] = 32,
        ["specimen"] = 256,
        ["method"] = 256,
        ["lab"] = 256,
        ["accession"] = 256,
        ["sub_id"] = 64,
        ["identifier"] = 512,
        ["sensitivity"] = 64,
    };

    /// <summary>Normalises one result as received (<paramref name="receivedAt"/>: when its file or message arrived).</summary>
    public NormalizeOutcome Normalize(RawResult raw, string sourceFile, DateTimeOffset? receivedAt = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        IngestionError Fail(string? field, string reason) => new(raw.Line == 0 ? null : raw.Line, raw.Segment, field, reason);

        var textFields = TextFields(raw);
        if (TooLong(textFields) is { } tooLong)
        {
            return new(null, Fail(tooLong.Field, $"{tooLong.Field} is {tooLong.Length} characters long; at most {MaxFieldLengths[tooLong.Field]} are accepted"));
        }

        if (Formula(textFields) is { } formula)
        {
            return new(null, Fail(formula.Field, $"{formula.Field} starts with '{formula.First}', as a spreadsheet formula does; it is not stored (it could run when the data is exported to a spreadsheet)"));
        }

        var patientId = raw.PatientId.Trim();
        if (!EnrollmentValidator.PatientIdPattern().IsMatch(patientId))
        {
            return new(null, Fail("patient_id", "patient_id must be 1–64 letters, digits or . _ - : @"));
        }

        if (!AnalyteCatalog.TryResolve(raw.AnalyteCode, out var analyte))
        {
            return new(null, Fail("analyte", $"unknown analyte '{IngestionError.Quote(raw.AnalyteCode)}' (use a keyword such as igg, cd4_abs, or a mapped LOINC code)"));
        }

        var lab = Conventions(sourceFile, raw.SendingFacility ?? raw.Lab);
        if (!ResultStatusParser.TryParse(raw.StatusText, out var status))
        {
            return new(null, Fail("status", $"unknown status '{IngestionError.Quote(raw.StatusText)}' (final, preliminary, corrected, cancelled)"));
        }

        if (raw.CollectedAtIsMessageTime && (status != ResultStatus.Cancelled || (string.IsNullOrWhiteSpace(raw.ExternalId) && string.IsNullOrWhiteSpace(raw.Accession))))
        {
            // Only a withdrawal of a result the lab names may stand without a collection time of its own.
            return new(null, Fail("collected_at", status != ResultStatus.Cancelled
                ? "no collection time"
                : "a cancellation without a collection time needs the lab's accession or identifier to say which result it withdraws"));
        }

        var collectedAt = raw.CollectedAt;
        var kind = raw.CollectedAtIsMessageTime ? CollectionTimeKind.MessageTime : CollectionTimeKind.Instant;
        if (collectedAt is null)
        {
            if (!LabTimestamp.TryParse(raw.CollectedAtText, lab, "collected_at", out var parsed, out var dateOnly, out var problem))
            {
                return new(null, Fail("collected_at", problem!));
            }

            collectedAt = parsed;
            if (dateOnly && kind == CollectionTimeKind.Instant)
            {
                kind = CollectionTimeKind.Date; // a calendar date: its day +N is the date as sent, in every zone
            }
        }

        if (collectedAt.Value > time.GetUtcNow() + _futureTolerance)
        {
            return new(null, Fail("collected_at", "collected_at lies in the future"));
        }

        if (collectedAt.Value < EarliestCollection)
        {
            return new(null, Fail("collected_at", $"collected_at {collectedAt.Value:yyyy-MM-dd} is before {EarliestCollection:yyyy} — not a date a result of a followed patient can have"));
        }

        var reportedAt = raw.ReportedAt;
        if (reportedAt is null && !string.IsNullOrWhiteSpace(raw.ReportedAtText))
        {
            if (!LabTimestamp.TryParse(raw.ReportedAtText, lab, "reported_at", out var parsed, out _, out var problem))
            {
                return new(null, Fail("reported_at", problem!));
            }

            reportedAt = parsed;
        }

        // A sensitivity that cannot be read does not void the value: it is kept with the sensitivity unknown (so it is
        // not evaluable as negative), and the report says so.
        decimal? sensitivity = null;
        IngestionError? warning = null;
        if (!string.IsNullOrWhiteSpace(raw.SensitivityText))
        {
            if (ValueParser.TryParseSensitivity(raw.SensitivityText, out var s))
            {
                sensitivity = s;
            }
            else
            {
                warning = Fail("sensitivity", $"sensitivity '{IngestionError.Quote(raw.SensitivityText)}' is not a fraction, percentage, power of ten or '1 in N'; the result is kept with its sensitivity unknown (not evaluable as MRD-negative)");
            }
        }

        var identity = !string.IsNullOrWhiteSpace(raw.ExternalId) ? ResultIdentity.FromSource(raw.ExternalId)
            : !string.IsNullOrWhiteSpace(raw.Accession) ? ResultIdentity.FromAccession(raw.Accession, analyte.Analyte, raw.SubId)
            : ResultIdentity.FromCollection(analyte.Analyte, raw.Specimen, collectedAt.Value);
        var unitText = raw.Unit?.Trim() ?? string.Empty;
        var result = new LabResult
        {
            ResultId = ResultIds.ForIdentity(patientId, identity),
            Identity = identity,
            PatientId = patientId,
            Analyte = analyte.Analyte,
            // The code the lab sent, as sent; the catalogue's only when it sent a keyword or a local code.
            Loinc = !string.IsNullOrWhiteSpace(raw.Loinc) ? raw.Loinc.Trim()
                : AnalyteCatalog.TryResolveLoinc(raw.AnalyteCode, out _) ? raw.AnalyteCode.Trim() : analyte.Loinc,
            Unit = analyte.CanonicalUnit,
            OriginalValue = raw.ValueText,
            OriginalUnit = unitText,
            CollectedAt = collectedAt.Value,
            CollectedAtKind = kind,
            ReportedAt = reportedAt,
            ReceivedAt = receivedAt ?? time.GetUtcNow(),
            Status = status,
            Specimen = raw.Specimen,
            Method = raw.Method,
            Lab = raw.Lab,
            SourceFile = sourceFile,
            SourceLine = raw.Line,
            SourceSegment = raw.Segment,
            Sensitivity = sensitivity,
        };

        var outcome = Measure(raw, analyte, status, unitText, result, lab, Fail);
        if (outcome.Result is null && status == ResultStatus.Cancelled)
        {
            // A withdrawal stands whatever value it repeats: the lab's word that the result is void must never be lost.
            outcome = new(result with { Unit = unitText.Length > 0 ? unitText : analyte.CanonicalUnit }, null);
        }

        return outcome.Result is { } ok ? new(ok with { VersionId = ResultIds.ForVersion(ok) }, null, warning) : outcome;
    }

    /// <summary>The last file's conventions: the results of one file (one lab) ask for the same ones, row after row.</summary>
    private sealed record LastConventions(string SourceFile, string? Facility, ResolvedLabConventions Conventions);

    private LastConventions? _last;

    private ResolvedLabConventions Conventions(string sourceFile, string? facility)
    {
        var last = _last;
        if (last is not null && ReferenceEquals(last.SourceFile, sourceFile) && string.Equals(last.Facility, facility, StringComparison.Ordinal))
        {
            return last.Conventions;
        }

        var conventions = _options.ConventionsFor(LabFolder(sourceFile), facility);
        _last = new LastConventions(sourceFile, facility, conventions);
        return conventions;
    }

    /// <summary>The lab folder of a drop-zone name (<c>{lab}/{file}</c>), or null.</summary>
    internal static string? LabFolder(string? sourceFile) =>
        sourceFile is not null && sourceFile.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash ? sourceFile[..slash] : null;

    /// <summary>Results collected before this are impossible for a patient followed today (a typo such as 1850, or a default date).</summary>
    public static readonly DateTimeOffset EarliestCollection = new(1950, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Free-text fields a spreadsheet would run as a formula when they start with one of = @ +.</summary>
    private static readonly HashSet<string> s_formulaFields = new(StringComparer.Ordinal) { "specimen", "method", "lab", "accession" };

    /// <summary>Every text field of a raw result with its name in reports (the names of <see cref="MaxFieldLengths"/>).</summary>
    private static (string Field, string? Text)[] TextFields(RawResult raw) =>
    [
        ("analyte", raw.AnalyteCode), ("value", raw.ValueText), ("unit", raw.Unit), ("collected_at", raw.CollectedAtText),
        ("reported_at", raw.ReportedAtText), ("status", raw.StatusText), ("specimen", raw.Specimen), ("method", raw.Method),
        ("lab", raw.Lab), ("accession", raw.Accession), ("sub_id", raw.SubId), ("identifier", raw.ExternalId),
        ("sensitivity", raw.SensitivityText),
    ];

    /// <summary>The free-text field that starts like a spreadsheet formula (<c>=cmd|…</c>, <c>@SUM(…)</c>, <c>+…</c>) and its first character, or null.</summary>
    private static (string Field, char First)? Formula((string Field, string? Text)[] fields)
    {
        foreach (var (field, text) in fields)
        {
            if (s_formulaFields.Contains(field) && text?.TrimStart() is { Length: > 0 } t && t[0] is '=' or '@' or '+')
            {
                return (field, t[0]);
            }
        }

        return null;
    }

    private static (string Field, int Length)? TooLong((string Field, string? Text)[] fields)
    {
        foreach (var (field, text) in fields)
        {
            if (text is not null && text.Length > MaxFieldLengths[field])
            {
                return (field, text.Length);
            }
        }

        return null;
    }

    private static NormalizeOutcome Measure(RawResult raw, AnalyteInfo analyte, ResultStatus status, string unitText, LabResult result,
        ResolvedLabConventions lab, Func<string?, string, IngestionError> fail)
    {
        if (string.IsNullOrWhiteSpace(raw.ValueText))
        {
            // A withdrawal needs no value; anything else does.
            return status == ResultStatus.Cancelled
                ? new(result with { Unit = unitText.Length > 0 ? unitText : analyte.CanonicalUnit }, null)
                : new(null, fail("value", "missing value"));
        }

        char? separator = raw.InvariantNumber ? '.' : lab.DecimalSeparator;
        if (!ValueParser.TryParse(raw.ValueText, separator, lab.DecimalSeparatorSetting, out var value, out var problem))
        {
            return new(null, fail("value", problem is not null
                ? $"value {problem}"
                : $"value '{IngestionError.Quote(raw.ValueText)}' is not a number, a censored number (<0.01) or detected/not detected"));
        }

        if (raw.Interpretation is { } interpretation)
        {
            if (value.Detected is { } stated && stated != interpretation)
            {
                return new(null, fail("interpretation", $"the value says {(stated ? "detected" : "not detected")} but the lab's interpretation says {(interpretation ? "detected" : "not detected")}"));
            }

            value = value with { Detected = interpretation };
        }

        if (analyte.Family == UnitFamily.MrdFraction && value.Detected == true && value.Comparator is Comparator.LessThan or Comparator.LessOrEqual)
        {
            // Detected below the limit ("positive (<0.01%)"): found, but not quantifiable — the indeterminate state, never
            // a negative. Kept as "detected" without a number (the limit stays in the value as sent).
            return new(result with { Detected = true, Comparator = value.Comparator, Unit = "%" }, null);
        }

        if (value.Number is not { } number)
        {
            return new(result with { Detected = value.Detected, Unit = analyte.Family == UnitFamily.MrdFraction ? "%" : analyte.CanonicalUnit }, null);
        }

        if (number < 0)
        {
            return new(null, fail("value", $"negative value {IngestionError.Quote(raw.ValueText)}"));
        }

        var unit = unitText.Length > 0 ? unitText : value.ImpliedUnit;
        if (analyte.Family == UnitFamily.MrdFraction && string.IsNullOrEmpty(unit))
        {
            if (lab.MrdUnit is null)
            {
                return new(null, fail("unit", $"MRD number without a unit: % or a fraction? (0.005 is 0.5 % as a fraction, 0.005 % as a percentage); set {lab.Setting("MrdUnit")}=% or fraction"));
            }

            unit = lab.MrdUnit == "%" ? "%" : "1";
        }

        var converted = UnitConverter.Convert(analyte, number, unit);
        if (!converted.Succeeded)
        {
            return new(null, fail("unit", converted.Error!));
        }

        var max = analyte.Family == UnitFamily.MrdFraction && converted.Unit == "1" ? 1m : analyte.PlausibleMax;
        if (converted.Value > max)
        {
            return new(null, fail("value", string.Create(CultureInfo.InvariantCulture,
                $"implausible {analyte.Keyword} {converted.Value:0.###} {converted.Unit} (from {IngestionError.Quote(raw.ValueText)} {IngestionError.Quote(unit)}); the largest possible is {max} {converted.Unit}")));
        }

        return new(result with
        {
            Value = converted.Value,
            Unit = converted.Unit,
            Comparator = value.Comparator,
            Detected = value.Detected,
        }, null);
    }
}

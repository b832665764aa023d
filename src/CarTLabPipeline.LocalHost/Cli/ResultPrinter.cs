using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>How a patient's record looks in a terminal (and as JSON Lines with <c>--json</c>, one result per line).</summary>
internal static class ResultPrinter
{
    /// <summary>
    /// Prints the record; the version lines only when <paramref name="showVersions"/> (the human form reads the versions,
    /// when the view has them, to say what a withdrawal withdrew).
    /// </summary>
    public static void Print(TextWriter output, PatientResultsView view, bool json, bool showVersions)
    {
        if (json)
        {
            foreach (var result in view.Results)
            {
                output.WriteLine(PipelineJson.Serialize(result));
            }

            return;
        }

        var withdrawn = view.Results.Count(r => r.Withdrawn);
        output.WriteLine($"{view.PatientId}: {view.Product}, day 0 = {view.InfusionDate:yyyy-MM-dd} ({view.TimeZone}), {view.Results.Count} result(s)" +
            (withdrawn > 0 ? $", {withdrawn} of them withdrawn" : string.Empty));
        if (view.Results.Count == 0)
        {
            output.WriteLine("No results stored.");
            return;
        }

        output.WriteLine();
        output.WriteLine($"{"date",-10}  {"day",-5} {"analyte",-30} {"value (sent → canonical)",-27} {"status",-11} notes");
        foreach (var result in view.Results)
        {
            output.WriteLine($"{result.CollectedOn:yyyy-MM-dd}  {ClinicalText.Day(result.DayPostInfusion),-5} {Name(result),-30} " +
                $"{Value(result.OriginalValue, result.OriginalUnit, result.Value, result.Comparator, result.Detected, result.Unit),-27} " +
                $"{Word(result.Status),-11} {Notes(result)}".TrimEnd());
            foreach (var version in showVersions ? result.Versions ?? [] : [])
            {
                output.WriteLine($"    {Word(version.Status),-11} {Sent(version.OriginalValue, version.OriginalUnit),-20} {When(version),-34} " +
                    $"{Where(version)}{Collected(version, result)}" +
                    $"{(version.Current && result.VersionCount > 1 ? "  (current)" : string.Empty)}");
            }
        }

        output.WriteLine();
        if (withdrawn > 0)
        {
            output.WriteLine("Withdrawn: the lab cancelled the result. It is not part of the record (no rule or chart uses it); it is listed for provenance.");
        }

        if (!showVersions && view.Results.Any(r => r.VersionCount > 1))
        {
            output.WriteLine("--versions lists every version the lab sent, with its message time and file:line.");
        }
    }

    /// <summary>The collection time a version gave, when it is not the result's: a date-only one as a date, a missing one said so.</summary>
    private static string Collected(ResultVersionView version, ResultView result) => version.CollectedAtKind switch
    {
        CollectionTimeKind.MessageTime => "  no collection time sent",
        _ when version.CollectedAt == result.CollectedAt && version.CollectedAtKind == result.CollectedAtKind => string.Empty,
        CollectionTimeKind.Date => $"  collected {version.CollectedAt:yyyy-MM-dd} (date only)",
        _ => $"  collected {version.CollectedAt:yyyy-MM-dd HH:mm zzz}",
    };

    private static string Notes(ResultView result) => DateOnlyNote(result, result switch
    {
        { Withdrawn: true } => result.Versions?.LastOrDefault(v => !v.Current && v.OriginalValue.Trim().Length > 0) is { } was
            ? $"WITHDRAWN (was {Sent(was.OriginalValue, was.OriginalUnit)}, {Word(was.Status)}): not part of the record"
            : "WITHDRAWN: not part of the record",
        { VersionCount: > 1, Status: ResultStatus.Corrected } => $"corrected ({result.VersionCount} versions)",
        { VersionCount: > 1 } => $"{result.VersionCount} versions",
        _ => string.Empty,
    });

    /// <summary>
    /// Says when the lab sent a date without a time (the date is the lab's, day +N counted from it) and when day +N counts
    /// from a second infusion or an HSCT.
    /// </summary>
    private static string DateOnlyNote(ResultView result, string notes)
    {
        string[] parts = [notes,
            result.DayZeroEvent is { } since ? $"day counted from the {since}" : string.Empty,
            result.CollectedAtKind == CollectionTimeKind.Date ? "date only (no time sent)" : string.Empty];
        return string.Join("; ", parts.Where(p => p.Length > 0));
    }

    /// <summary>The value as sent, followed by the canonical value when the pipeline converted it (<c>2.8 g/L → 280 mg/dL</c>).</summary>
    private static string Value(string originalValue, string originalUnit, decimal? value, string? comparator, bool? detected, string unit)
    {
        var sent = Sent(originalValue, originalUnit);
        if (value is null && detected is null)
        {
            return sent;
        }

        var canonical = ClinicalText.Value(value, comparator, detected, unit, originalValue);
        // Same digits as sent (not a parse: "1.200" may be 1200 under the lab's conventions).
        var digits = originalValue.Trim().TrimStart('<', '>', '=', '≤', '≥').Trim();
        var sameNumber = value is { } v && (digits == v.ToString(CultureInfo.InvariantCulture) || digits == ClinicalText.Number(v));
        return sameNumber || string.Equals(sent, canonical, StringComparison.OrdinalIgnoreCase) ? sent : $"{sent} → {canonical}";
    }

    private static string Sent(string value, string unit) =>
        string.IsNullOrWhiteSpace(value) ? "(no value)" : $"{value.Trim()} {unit.Trim()}".Trim();

    /// <summary><c>file:line</c>, or <c>file (segment)</c> where the line does not say it (HL7 segments, FHIR paths).</summary>
    private static string Where(ResultVersionView version) =>
        (version.SourceLine > 0 ? $"{version.SourceFile}:{version.SourceLine}" : version.SourceFile) +
        (version.SourceSegment is { Length: > 0 } segment ? $" ({segment})" : string.Empty);

    private static string When(ResultVersionView version) => version.ReportedAt is { } reported
        ? string.Create(CultureInfo.InvariantCulture, $"reported {reported:yyyy-MM-dd HH:mm zzz}")
        : string.Create(CultureInfo.InvariantCulture, $"received {version.ReceivedAt:yyyy-MM-dd HH:mm zzz}");

    /// <summary>The analyte's name; an MRD names its specimen as received (a blood MRD is not the marrow MRD the rules judge).</summary>
    private static string Name(ResultView result) =>
        result.Analyte == "mrd" && !string.IsNullOrWhiteSpace(result.Specimen) ? $"MRD ({result.Specimen.Trim()})"
        : AnalyteCatalog.TryResolve(result.Analyte, out var info) ? info.DisplayName : result.Analyte;

    private static string Word(ResultStatus status) => status.ToString().ToLowerInvariant();
}

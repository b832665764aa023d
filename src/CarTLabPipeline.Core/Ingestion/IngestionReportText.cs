
namespace CarTLabPipeline.Ingestion;

/// <summary>The one-line texts of a report a lab integration engineer reads (CLI, ops alert).</summary>
public static class IngestionReportText
{
    /// <summary>
    /// <c>13 skipped: 10 not followed (RBC, HCT, MCV…); 3 unmapped local codes WBC, HGB, PLT — map with
    /// Ingestion__Labs__lab__LocalCodes__WBC=wbc</c>; empty when nothing was skipped.
    /// </summary>
    public static string Skipped(IngestionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Skipped == 0)
        {
            return string.Empty;
        }

        if (report.SkippedBy.Count == 0)
        {
            return $"{report.Skipped} skipped";
        }

        var lab = ResultNormalizer.LabFolder(report.File) ?? IngestionOptions.DefaultLabKey;
        var parts = report.SkippedBy.Select(s => s.Kind switch
        {
            SkipKind.NotFollowed => $"{s.Count} not followed{Codes(s, parenthesised: true)}",
            SkipKind.UnmappedLocalCode => $"{s.Count} unmapped local code{(s.Count == 1 ? "" : "s")}{Codes(s, parenthesised: false)}" +
                (s.Codes.Count > 0 ? $" — map with {IngestionOptions.SectionName}__Labs__{lab}__LocalCodes__{s.Codes[0]}={Keyword(s.Codes[0])}" : string.Empty),
            SkipKind.NoResultYet => $"{s.Count} without a result yet{(s.Codes.Count > 0 ? " (status " + string.Join(", ", s.Codes) + ")" : string.Empty)}",
            _ => $"{s.Count} not a result message{Codes(s, parenthesised: true)}",
        });
        return $"{report.Skipped} skipped: {string.Join("; ", parts)}";
    }

    private static string Codes(SkipSummary s, bool parenthesised)
    {
        if (s.Codes.Count == 0)
        {
            return string.Empty;
        }

        const int shown = 5;
        var list = string.Join(", ", s.Codes.Take(shown)) + (s.Codes.Count > shown || s.Count > s.Codes.Count && s.Codes.Count >= SkipSummary.MaxCodes ? "…" : string.Empty);
        return parenthesised ? $" ({list})" : " " + list;
    }

    /// <summary>The keyword to suggest for a local code: the catalogue's when the code spells one, else a placeholder.</summary>
    private static string Keyword(string code) =>
        Domain.AnalyteCatalog.TryResolve(code, out var info) ? info.Keyword : "<keyword>";
}

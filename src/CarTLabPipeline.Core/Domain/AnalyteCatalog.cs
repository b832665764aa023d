namespace CarTLabPipeline.Domain;

/// <summary>The analyte catalogue: keywords, LOINC codes (default and alternates) and canonical units.</summary>
public static class AnalyteCatalog
{
    private static readonly AnalyteInfo[] s_all =
    [
        new(Analyte.Mrd, "mrd", "67128-9", "MRD (flow, marrow)", UnitFamily.MrdFraction, "%", "%", 100m),
        new(Analyte.Cd19Abs, "cd19_abs", "8116-6", "CD19+ B cells", UnitFamily.CellsPerMicrolitre, "/uL", "cells/µL", 50_000m),
        new(Analyte.Cd19Pct, "cd19_pct", "8117-4", "CD19+ B cells (% lymphocytes)", UnitFamily.Percent, "%", "%", 100m),
        new(Analyte.Cd4Abs, "cd4_abs", "24467-3", "CD4+ T cells", UnitFamily.CellsPerMicrolitre, "/uL", "cells/µL", 50_000m),
        new(Analyte.Cd4Pct, "cd4_pct", "8123-2", "CD4+ T cells (% lymphocytes)", UnitFamily.Percent, "%", "%", 100m),
        new(Analyte.IgG, "igg", "2465-3", "IgG", UnitFamily.ImmunoglobulinMass, "mg/dL", "mg/dL", 20_000m),
        new(Analyte.Wbc, "wbc", "6690-2", "Leukocytes", UnitFamily.CellsPerLitre, "10*9/L", "×10⁹/L", 1_000m),
        new(Analyte.Anc, "anc", "751-8", "Neutrophils", UnitFamily.CellsPerLitre, "10*9/L", "×10⁹/L", 1_000m),
        new(Analyte.Alc, "alc", "731-0", "Lymphocytes", UnitFamily.CellsPerLitre, "10*9/L", "×10⁹/L", 1_000m),
        new(Analyte.Hgb, "hgb", "718-7", "Haemoglobin", UnitFamily.HaemoglobinMass, "g/dL", "g/dL", 25m),
        new(Analyte.Plt, "plt", "777-3", "Platelets", UnitFamily.CellsPerLitre, "10*9/L", "×10⁹/L", 5_000m),
    ];

    /// <summary>Alternate LOINC codes that mean the same analyte (method-less or manual variants).</summary>
    private static readonly Dictionary<string, Analyte> s_alternateLoinc = new(StringComparer.Ordinal)
    {
        ["26464-8"] = Analyte.Wbc,
        ["26499-4"] = Analyte.Anc,
        ["753-4"] = Analyte.Anc,
        ["26474-7"] = Analyte.Alc,
        ["732-8"] = Analyte.Alc,
        ["26515-7"] = Analyte.Plt,
        ["8128-1"] = Analyte.Cd4Pct,
        ["20509-6"] = Analyte.Hgb,
    };

    private static readonly Dictionary<string, AnalyteInfo> s_byKeyword =
        s_all.ToDictionary(a => a.Keyword, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, AnalyteInfo> s_byLoinc = BuildLoincMap();

    /// <summary>All analytes in catalogue order.</summary>
    public static IReadOnlyList<AnalyteInfo> All => s_all;

    /// <summary>The catalogue entry of <paramref name="analyte"/>.</summary>
    public static AnalyteInfo Get(Analyte analyte) => s_all[(int)analyte];

    /// <summary>
    /// Resolves a CSV/queue analyte column: a keyword of docs/design.md §6a or a LOINC code.
    /// Display texts are never used: labs mislabel codes (docs/clinical.md §1.1).
    /// </summary>
    public static bool TryResolve(string keywordOrLoinc, out AnalyteInfo info)
    {
        var key = keywordOrLoinc.Trim();
        if (s_byKeyword.TryGetValue(key, out info!))
        {
            return true;
        }

        return s_byLoinc.TryGetValue(key, out info!);
    }

    /// <summary>Resolves a LOINC code (default or alternate).</summary>
    public static bool TryResolveLoinc(string loinc, out AnalyteInfo info) => s_byLoinc.TryGetValue(loinc.Trim(), out info!);

    private static Dictionary<string, AnalyteInfo> BuildLoincMap()
    {
        var map = s_all.ToDictionary(a => a.Loinc, StringComparer.Ordinal);
        foreach (var (code, analyte) in s_alternateLoinc)
        {
            map[code] = s_all[(int)analyte];
        }

        return map;
    }
}

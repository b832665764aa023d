namespace CarTLabPipeline.Domain;

/// <summary>The analytes this pipeline follows after CAR-T (docs/design.md §6a).</summary>
public enum Analyte
{
    /// <summary>Measurable residual disease by flow cytometry, bone marrow (% or fraction).</summary>
    Mrd,
    /// <summary>CD19+ B cells, absolute (cells/µL).</summary>
    Cd19Abs,
    /// <summary>CD19+ B cells, % of lymphocytes.</summary>
    Cd19Pct,
    /// <summary>CD4+ T cells, absolute (cells/µL).</summary>
    Cd4Abs,
    /// <summary>CD4+ T cells, % of lymphocytes.</summary>
    Cd4Pct,
    /// <summary>Serum IgG (mg/dL).</summary>
    IgG,
    /// <summary>Leukocytes (10⁹/L).</summary>
    Wbc,
    /// <summary>Neutrophils, absolute (10⁹/L).</summary>
    Anc,
    /// <summary>Lymphocytes, absolute (10⁹/L).</summary>
    Alc,
    /// <summary>Haemoglobin (g/dL).</summary>
    Hgb,
    /// <summary>Platelets (10⁹/L).</summary>
    Plt,
}

/// <summary>The family of units an analyte is measured in; conversions are defined per family.</summary>
public enum UnitFamily
{
    /// <summary>MRD: % or a plain fraction.</summary>
    MrdFraction,
    /// <summary>Cells per volume, canonical 10⁹/L (blood counts).</summary>
    CellsPerLitre,
    /// <summary>Cells per volume, canonical cells/µL (lymphocyte subsets).</summary>
    CellsPerMicrolitre,
    /// <summary>Percent of a parent population.</summary>
    Percent,
    /// <summary>Immunoglobulin mass concentration, canonical mg/dL.</summary>
    ImmunoglobulinMass,
    /// <summary>Haemoglobin, canonical g/dL.</summary>
    HaemoglobinMass,
}

/// <summary>What we know about one analyte: its keyword, default LOINC code, canonical unit and plausible range.</summary>
/// <param name="Analyte">The analyte.</param>
/// <param name="Keyword">The CSV/queue keyword, e.g. <c>igg</c>.</param>
/// <param name="Loinc">The default LOINC code stored with the result.</param>
/// <param name="DisplayName">Clinical name for alerts and charts.</param>
/// <param name="Family">Unit family for conversions.</param>
/// <param name="CanonicalUnit">UCUM code of the canonical unit.</param>
/// <param name="DisplayUnit">The canonical unit as clinicians write it.</param>
/// <param name="PlausibleMax">Largest physiologically possible value in the canonical unit; above it the result is rejected.</param>
public sealed record AnalyteInfo(
    Analyte Analyte,
    string Keyword,
    string Loinc,
    string DisplayName,
    UnitFamily Family,
    string CanonicalUnit,
    string DisplayUnit,
    decimal PlausibleMax);

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

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

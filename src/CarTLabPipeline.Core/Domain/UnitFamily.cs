namespace CarTLabPipeline.Domain;

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

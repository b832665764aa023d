namespace CarTLabPipeline.Domain;

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

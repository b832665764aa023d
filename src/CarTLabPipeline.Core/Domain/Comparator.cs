namespace CarTLabPipeline.Domain;

/// <summary>A censoring comparator on a numeric result (<c>&lt;0.01</c>). Stored as its UCUM/FHIR symbol.</summary>
public static class Comparator
{
    public const string LessThan = "<";
    public const string LessOrEqual = "<=";
    public const string GreaterThan = ">";
    public const string GreaterOrEqual = ">=";

    /// <summary>Normalises the spellings labs use (<c>≤</c>, <c>=&lt;</c>…) to the FHIR symbols; null when none.</summary>
    public static string? Normalise(string? symbol) => symbol?.Trim() switch
    {
        "<" => LessThan,
        "<=" or "=<" or "≤" => LessOrEqual,
        ">" => GreaterThan,
        ">=" or "=>" or "≥" => GreaterOrEqual,
        _ => null,
    };
}

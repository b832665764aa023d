
namespace CarTLabPipeline.Ingestion;

/// <summary>A parsed lab value: a number with an optional comparator, and/or a detected/not-detected statement.</summary>
public readonly record struct ParsedValue(decimal? Number, string? Comparator, bool? Detected, string? ImpliedUnit);

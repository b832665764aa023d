
namespace CarTLabPipeline.Ingestion;

/// <summary>How many results of a file were skipped for one reason, and which codes they had.</summary>
/// <param name="Kind">The reason.</param>
/// <param name="Count">How many results.</param>
/// <param name="Codes">The distinct codes (or message types), in file order, at most <see cref="MaxCodes"/>.</param>
public sealed record SkipSummary(SkipKind Kind, int Count, IReadOnlyList<string> Codes)
{
    /// <summary>Most codes kept per reason.</summary>
    public const int MaxCodes = 20;
}

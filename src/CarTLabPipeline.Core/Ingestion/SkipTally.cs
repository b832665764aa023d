
namespace CarTLabPipeline.Ingestion;

/// <summary>Counts skipped results by reason as a file is read (see <see cref="IngestionReport.SkippedBy"/>).</summary>
public sealed class SkipTally
{
    private readonly Dictionary<SkipKind, (int Count, List<string> Codes)> _byKind = [];

    public int Total { get; private set; }

    public void Add(SkippedResult skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        Total++;
        var (count, codes) = _byKind.GetValueOrDefault(skipped.Kind, (0, []));
        if (skipped.Code is { Length: > 0 } code && codes.Count < SkipSummary.MaxCodes && !codes.Contains(code, StringComparer.Ordinal))
        {
            codes.Add(code);
        }

        _byKind[skipped.Kind] = (count + 1, codes);
    }

    public IReadOnlyList<SkipSummary> Summaries() =>
        [.. _byKind.OrderBy(k => k.Key).Select(k => new SkipSummary(k.Key, k.Value.Count, k.Value.Codes))];
}

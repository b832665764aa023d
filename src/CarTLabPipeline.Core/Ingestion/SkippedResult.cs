namespace CarTLabPipeline.Ingestion;

/// <summary>One skipped result: why, the code (or message type) it had, and where it was.</summary>
public sealed record SkippedResult(SkipKind Kind, string? Code, string Where)
{
    public override string ToString() => Kind switch
    {
        SkipKind.NotFollowed => $"{Where}: {Code} is not a followed analyte",
        SkipKind.UnmappedLocalCode => $"{Where}: local code {Code} is not mapped",
        SkipKind.NoResultYet => $"{Where}: status {Code} carries no result yet",
        _ => $"{Where}: {Code} is not a result message",
    };
}

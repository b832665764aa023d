namespace CarTLabPipeline.Ingestion;

/// <summary>One item a reader yields: a result, a row error, or a note that a row was not ours (skipped, not an error).</summary>
public readonly record struct ReadItem(RawResult? Result, IngestionError? Error, SkippedResult? Skipped)
{
    public static ReadItem Of(RawResult result) => new(result, null, null);

    public static ReadItem Fail(IngestionError error) => new(null, error, null);

    public static ReadItem Skip(SkipKind kind, string? code, string where) => new(null, null, new SkippedResult(kind, code, where));
}

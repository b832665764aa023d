namespace CarTLabPipeline.Ingestion;

/// <summary>
/// A result as a reader found it, before normalisation: texts as sent, plus what the format already parsed.
/// </summary>
public sealed record RawResult
{
    public required string PatientId { get; init; }

    /// <summary>Keyword of DESIGN §6a, or a LOINC code.</summary>
    public required string AnalyteCode { get; init; }

    /// <summary>The value as sent: a number, a comparator and number (<c>&lt;0.01</c>) or a text (<c>not detected</c>).</summary>
    public required string ValueText { get; init; }

    public string? Unit { get; init; }

    /// <summary>The collection time as sent (ISO 8601; without an offset it is read in the configured default zone).</summary>
    public required string CollectedAtText { get; init; }

    /// <summary>Collection time already parsed by the reader (HL7 timestamps), which then takes precedence over the text.</summary>
    public DateTimeOffset? CollectedAt { get; init; }

    public string? StatusText { get; init; }

    public string? Specimen { get; init; }

    public string? Method { get; init; }

    public string? Lab { get; init; }

    /// <summary>The lab's identity of this result (accession, filler order number…), see <see cref="Domain.LabResult.SourceKey"/>.</summary>
    public string? SourceKey { get; init; }

    /// <summary>Achieved sensitivity text as sent (<c>1e-4</c>, <c>0.01%</c>, <c>1x10^-4</c>).</summary>
    public string? SensitivityText { get; init; }

    /// <summary>1-based line (CSV) or segment position (HL7).</summary>
    public int Line { get; init; }

    /// <summary>HL7 segment label, e.g. <c>OBX[3]</c>.</summary>
    public string? Segment { get; init; }
}

/// <summary>One item a reader yields: a result, a row error, or a note that a row was not ours (skipped, not an error).</summary>
public readonly record struct ReadItem(RawResult? Result, IngestionError? Error, string? Skipped)
{
    public static ReadItem Of(RawResult result) => new(result, null, null);

    public static ReadItem Fail(IngestionError error) => new(null, error, null);

    public static ReadItem Skip(string what) => new(null, null, what);
}

using System.Text.Json.Serialization;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Results;

/// <summary>One version of a result as the lab sent it, and where it arrived.</summary>
public sealed record ResultVersionView
{
    /// <summary>Hash of the version's content.</summary>
    public required string VersionId { get; init; }

    [JsonConverter(typeof(ResultStatusJsonConverter))]
    public required ResultStatus Status { get; init; }

    /// <summary>True for the version that stands (the last one).</summary>
    public required bool Current { get; init; }

    public required string OriginalValue { get; init; }

    public required string OriginalUnit { get; init; }

    /// <summary>The value in the canonical <see cref="Unit"/>.</summary>
    public decimal? Value { get; init; }

    public required string Unit { get; init; }

    public string? Comparator { get; init; }

    public bool? Detected { get; init; }

    /// <summary>When the lab issued this version (its message time); null when it did not say.</summary>
    public DateTimeOffset? ReportedAt { get; init; }

    /// <summary>When the pipeline received this version.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    public string? Lab { get; init; }

    public required string SourceFile { get; init; }

    public required int SourceLine { get; init; }

    /// <summary>HL7 segment or FHIR path of this version in <see cref="SourceFile"/>, when the line does not say it.</summary>
    public string? SourceSegment { get; init; }

    /// <summary>Collection time this version gave (a correction may fix it).</summary>
    public required DateTimeOffset CollectedAt { get; init; }

    /// <summary>
    /// What <see cref="CollectedAt"/> is: <c>instant</c>, <c>date</c> (sent without a time) or <c>messageTime</c> (a
    /// withdrawal that sent no collection time, dated by its message).
    /// </summary>
    [JsonConverter(typeof(CollectionTimeKindJsonConverter))]
    public CollectionTimeKind CollectedAtKind { get; init; }

    /// <summary>Specimen as this version gave it.</summary>
    public string? Specimen { get; init; }

    /// <summary>Method as this version gave it.</summary>
    public string? Method { get; init; }
}

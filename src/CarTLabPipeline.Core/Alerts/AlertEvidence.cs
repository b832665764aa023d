using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Alerts;

/// <summary>One result the alert rests on (docs/design.md §5 <c>evidence</c>).</summary>
public sealed record AlertEvidence
{
    public required string ResultId { get; init; }

    /// <summary>Analyte keyword (docs/design.md §6a), e.g. <c>igg</c>.</summary>
    public required string Analyte { get; init; }

    public required string Loinc { get; init; }

    public decimal? Value { get; init; }

    public required string Unit { get; init; }

    public string? Comparator { get; init; }

    public required DateTimeOffset CollectedAt { get; init; }

    /// <summary>True when the lab sent a date without a time: <see cref="CollectedAt"/>'s date (in its own offset) is the date as sent, its time of day means nothing.</summary>
    public bool CollectedDateOnly { get; init; }

    public required int DayPostInfusion { get; init; }

    /// <summary><c>trigger</c> for the results that raised the alert, <c>previous</c> for earlier values shown for context.</summary>
    public string Role { get; init; } = EvidenceRoles.Trigger;

    /// <summary>Qualitative statement when there is one: false = not detected, true = detected.</summary>
    public bool? Detected { get; init; }

    /// <summary>The version of the result the alert was judged on (<see cref="Domain.LabResult.VersionId"/>).</summary>
    public string? VersionId { get; init; }

    /// <summary>Status of that version (final, corrected…).</summary>
    public ResultStatus? Status { get; init; }

    /// <summary>The value exactly as the lab sent it in that version.</summary>
    public string? OriginalValue { get; init; }

    /// <summary>The unit exactly as the lab sent it in that version.</summary>
    public string? OriginalUnit { get; init; }

    /// <summary>When the lab issued that version, if it said.</summary>
    public DateTimeOffset? ReportedAt { get; init; }
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules;

/// <summary>An alert as a rule states it, before ids, days and evidence are filled in by <see cref="RuleEngine"/>.</summary>
public sealed record AlertDraft
{
    public required string RuleId { get; init; }

    public required int RuleVersion { get; init; }

    public required AlertSeverity Severity { get; init; }

    public required string Title { get; init; }

    public required string Summary { get; init; }

    public required string SuggestedAction { get; init; }

    /// <summary>The results that raised the alert; their ids make the alert id. The last one is the observation time.</summary>
    public required IReadOnlyList<LabResult> Triggers { get; init; }

    /// <summary>Earlier values that define the change, shown as context.</summary>
    public IReadOnlyList<LabResult> Previous { get; init; } = [];

    /// <summary>Extra parts of the alert id, for alerts not raised by a result (e.g. <c>assessment:28</c>).</summary>
    public IReadOnlyList<string> IdKeys { get; init; } = [];

    /// <summary>Overrides the observation time (default: collection time of the last trigger).</summary>
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>Overrides day +N (default: day of the last trigger).</summary>
    public int? Day { get; init; }

    public AlertAudience Audience { get; init; } = AlertAudience.CareTeam;
}

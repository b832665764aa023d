using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Rules;

/// <summary>
/// Settings of the <c>Evaluation</c> section: what a record the rules judge may hold. Here beside the rules (not in
/// <c>CarTLabPipeline.Evaluation</c>) because an alert's chart (<c>Notifications</c>) reads the record within the same limit.
/// </summary>
public sealed class EvaluationOptions
{
    public const string SectionName = "Evaluation";

    /// <summary>Default for <see cref="MaxRecordVersions"/>.</summary>
    public const int DefaultMaxRecordVersions = 100_000;

    /// <summary>Smallest <see cref="MaxRecordVersions"/> accepted.</summary>
    public const int MinMaxRecordVersions = 1_000;

    /// <summary>Largest <see cref="MaxRecordVersions"/> accepted.</summary>
    public const int MaxMaxRecordVersions = 1_000_000;

    /// <summary>The setting as it is set in the environment (<c>Evaluation__MaxRecordVersions</c>), for the texts that name it.</summary>
    public const string MaxRecordVersionsSetting = SectionName + "__" + nameof(MaxRecordVersions);

    /// <summary>
    /// The most result versions a patient's record may hold to be evaluated (and an alert's chart drawn from it). A record
    /// that holds more is not read further and not evaluated: ops get <c>evaluation.record-too-large</c>
    /// (<c>CarTLabPipeline.Evaluation.RecordTooLarge</c>). A real patient has a few thousand results over years; 10⁵–10⁶ is a misrouted feed.
    /// Memory grows with it: the evaluation holds about 1 KB a version while it runs. Default 100,000.
    /// </summary>
    [Range(MinMaxRecordVersions, MaxMaxRecordVersions)]
    public int MaxRecordVersions { get; set; } = DefaultMaxRecordVersions;
}

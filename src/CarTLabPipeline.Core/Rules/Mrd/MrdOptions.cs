using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Rules.Mrd;

/// <summary>What the three MRD rules share: the negativity threshold and the assay's default sensitivity.</summary>
public sealed class MrdOptions : IRuleSection
{
    /// <summary>Configuration section: <c>Rules:Mrd</c>.</summary>
    public static string Section => "Mrd";

    /// <summary>MRD-negative means below 10⁻⁴ (0.01 %), the consensus level (docs/clinical.md §1.3). As a fraction.</summary>
    public const double DefaultThresholdFraction = 1e-4;

    /// <summary>Fraction at and above which MRD is positive; below it a negative needs adequate sensitivity. Default 1E-4.</summary>
    [Range(1e-7, 1e-1)]
    public double ThresholdFraction { get; set; } = DefaultThresholdFraction;

    /// <summary>
    /// The assay's sensitivity when the lab does not send one (fraction). Default 1E-4; null means "unknown": a negative
    /// without a stated sensitivity is then not evaluable for the 10⁻⁴ rule.
    /// </summary>
    [Range(1e-8, 1e-1)]
    public double? DefaultAssaySensitivity { get; set; } = DefaultThresholdFraction;
}

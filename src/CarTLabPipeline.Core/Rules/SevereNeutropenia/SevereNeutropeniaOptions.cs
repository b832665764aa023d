using System.ComponentModel.DataAnnotations;

using CarTLabPipeline.Rules.Cytopenia;
namespace CarTLabPipeline.Rules.SevereNeutropenia;

/// <summary><c>anc.severe-neutropenia</c>.</summary>
public sealed class SevereNeutropeniaOptions() : CytopeniaOptions(DefaultSuggestedAction, 0.5, recoveryOnConsecutiveDays: false), IRuleSection
{
    /// <summary>Configuration section: <c>Rules:SevereNeutropenia</c>.</summary>
    public static string Section => "SevereNeutropenia";

    public const string DefaultSuggestedAction = "Check for infection; consider G-CSF and antimicrobial prophylaxis per protocol.";

    /// <summary>Neutrophils, 10⁹/L. Default 0.5 (CTCAE grade 4).</summary>
    [Range(0.05, 5)]
    public override double Threshold { get; set; } = 0.5;

    /// <summary>
    /// Early ICAHT counts the days between two ANC values as neutropenic (or not) when both agree and they are at most this
    /// many days apart; longer gaps are unknown days. Default 3 (counts at least three times a week in days 0–14).
    /// </summary>
    [Range(1, 14)]
    public int EarlyIcahtMaxGapDays { get; set; } = 3;
}

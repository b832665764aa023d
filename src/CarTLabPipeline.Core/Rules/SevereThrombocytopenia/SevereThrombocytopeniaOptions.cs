using System.ComponentModel.DataAnnotations;

using CarTLabPipeline.Rules.Cytopenia;
namespace CarTLabPipeline.Rules.SevereThrombocytopenia;

/// <summary><c>plt.severe-thrombocytopenia</c>.</summary>
public sealed class SevereThrombocytopeniaOptions() : CytopeniaOptions(DefaultSuggestedAction, 20, recoveryOnConsecutiveDays: true), IRuleSection
{
    /// <summary>Configuration section: <c>Rules:SevereThrombocytopenia</c>.</summary>
    public static string Section => "SevereThrombocytopenia";

    public const string DefaultSuggestedAction = "Assess bleeding risk; consider platelet transfusion per protocol.";

    /// <summary>Platelets, 10⁹/L. Default 25 (CTCAE grade 4).</summary>
    [Range(1, 200)]
    public override double Threshold { get; set; } = 25;
}

using System.ComponentModel.DataAnnotations;

using CarTLabPipeline.Rules.Cytopenia;
namespace CarTLabPipeline.Rules.SevereAnemia;

/// <summary><c>hgb.severe-anemia</c>.</summary>
public sealed class SevereAnemiaOptions() : CytopeniaOptions(DefaultSuggestedAction, 8.0, recoveryOnConsecutiveDays: false), IRuleSection
{
    /// <summary>Configuration section: <c>Rules:SevereAnemia</c>.</summary>
    public static string Section => "SevereAnemia";

    public const string DefaultSuggestedAction = "Assess symptoms; consider red-cell transfusion per protocol.";

    /// <summary>Haemoglobin, g/dL. Default 8.0 (CTCAE grade 3).</summary>
    [Range(3, 15)]
    public override double Threshold { get; set; } = 8.0;
}

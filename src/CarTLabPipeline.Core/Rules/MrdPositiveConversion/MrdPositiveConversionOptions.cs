using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.MrdPositiveConversion;

/// <summary><c>mrd.positive-conversion</c>.</summary>
public sealed class MrdPositiveConversionOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:MrdPositiveConversion</c>.</summary>
    public static string Section => "MrdPositiveConversion";

    public const string DefaultSuggestedAction =
        "Confirm on a repeat bone marrow within 2–4 weeks unless high or rising; discuss consolidation (allogeneic HSCT or further therapy).";

    public const string DefaultIndeterminateAction = "Indeterminate result: repeat bone-marrow MRD in 2–4 weeks.";

    public MrdPositiveConversionOptions()
    {
        Severity = AlertSeverity.Critical;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Severity when MRD is detectable but below the threshold. Default warning.</summary>
    public AlertSeverity IndeterminateSeverity { get; set; } = AlertSeverity.Warning;

    [Required(AllowEmptyStrings = false)]
    [StringLength(500)]
    public string IndeterminateSuggestedAction { get; set; } = DefaultIndeterminateAction;
}

using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.CountsRecovery;

/// <summary><c>counts.recovery</c>.</summary>
public sealed class CountsRecoveryOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:CountsRecovery</c>.</summary>
    public static string Section => "CountsRecovery";

    public const string DefaultSuggestedAction = "Counts recovered: review G-CSF and transfusion support.";

    public CountsRecoveryOptions()
    {
        Severity = AlertSeverity.Info;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Neutrophils (10⁹/L) at or above. Default 1.0.</summary>
    [Range(0.1, 10)]
    public double MinAnc { get; set; } = 1.0;

    /// <summary>Platelets (10⁹/L) at or above. Default 100.</summary>
    [Range(1, 500)]
    public double MinPlatelets { get; set; } = 100;

    /// <summary>Haemoglobin (g/dL) at or above. Default 10.</summary>
    [Range(3, 20)]
    public double MinHaemoglobin { get; set; } = 10;
}

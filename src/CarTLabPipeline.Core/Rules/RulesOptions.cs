using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules;

/// <summary>
/// The <c>Rules</c> configuration section: one subsection per rule (e.g. <c>Rules__IgGLow__ThresholdMgPerDl=400</c>).
/// Validated at start-up: an invalid value stops the host with a message naming it.
/// </summary>
public sealed class RulesOptions
{
    public const string SectionName = "Rules";

    [Required]
    public IgGLowOptions IgGLow { get; set; } = new();
}

/// <summary>Settings every rule has.</summary>
public abstract class RuleOptions
{
    /// <summary>False turns the rule off. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Severity of the alerts the rule raises.</summary>
    public AlertSeverity Severity { get; set; }

    /// <summary>The non-directive next step shown in the alert (local protocol wins).</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(500)]
    public string SuggestedAction { get; set; } = string.Empty;
}

/// <summary><c>igg.low</c>: serum IgG below the threshold, once per episode.</summary>
public sealed class IgGLowOptions : RuleOptions
{
    /// <summary>Default threshold: 300 mg/dL (3.0 g/L), the value this project's users asked for.</summary>
    public const double DefaultThresholdMgPerDl = 300;

    public const string DefaultSuggestedAction =
        "Consider immunoglobulin replacement (IVIG/SCIG); compare trough levels if already on replacement.";

    public IgGLowOptions()
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Threshold in mg/dL; published guidance often uses 400 (clinical.md §2.3). Range 50–2,000.</summary>
    [Range(50, 2000)]
    public double ThresholdMgPerDl { get; set; } = DefaultThresholdMgPerDl;
}

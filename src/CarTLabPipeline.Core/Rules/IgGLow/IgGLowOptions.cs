using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.IgGLow;

/// <summary><c>igg.low</c>: serum IgG below the threshold, once per episode.</summary>
public sealed class IgGLowOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:IgGLow</c>.</summary>
    public static string Section => "IgGLow";

    /// <summary>Default threshold: 300 mg/dL (3.0 g/L), the value this project's users asked for.</summary>
    public const double DefaultThresholdMgPerDl = 300;

    public const string DefaultSuggestedAction =
        "Consider immunoglobulin replacement (IVIG/SCIG); compare trough levels if already on replacement.";

    public const string DefaultOnReplacementSuggestedAction =
        "IgG trough below target on immunoglobulin replacement: check the dose and interval, and that the sample was a trough (pre-dose) level.";

    public IgGLowOptions()
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Threshold in mg/dL; published guidance often uses 400 (docs/clinical.md §2.3). Range 50–2,000.</summary>
    [Range(50, 2000)]
    public double ThresholdMgPerDl { get; set; } = DefaultThresholdMgPerDl;

    /// <summary>
    /// The next step when the value was taken while immunoglobulin replacement runs (an <c>immunoglobulin-start</c> event on
    /// or before it, no stop between): the trough is below target, so the dose or interval needs a look (clinical.md §1.3,
    /// §2.3).
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(500)]
    public string OnReplacementSuggestedAction { get; set; } = DefaultOnReplacementSuggestedAction;
}

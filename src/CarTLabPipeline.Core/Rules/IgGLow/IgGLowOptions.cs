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

    public IgGLowOptions()
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Threshold in mg/dL; published guidance often uses 400 (docs/clinical.md §2.3). Range 50–2,000.</summary>
    [Range(50, 2000)]
    public double ThresholdMgPerDl { get; set; } = DefaultThresholdMgPerDl;
}

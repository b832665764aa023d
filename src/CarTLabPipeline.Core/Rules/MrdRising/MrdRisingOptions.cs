using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.MrdRising;

/// <summary><c>mrd.rising</c>.</summary>
public sealed class MrdRisingOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:MrdRising</c>.</summary>
    public static string Section => "MrdRising";

    public const double DefaultMinLogIncrease = 1.0;

    public const string DefaultSuggestedAction = "Rising MRD: repeat bone marrow promptly and discuss treatment at the CAR-T board.";

    public MrdRisingOptions()
    {
        Severity = AlertSeverity.Critical;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Minimum rise in log10 between two positive values. Default 1.0 (tenfold).</summary>
    [Range(0.1, 6)]
    public double MinLogIncrease { get; set; } = DefaultMinLogIncrease;
}

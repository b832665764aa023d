using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.BCellRecovery;

/// <summary><c>bcell.recovery</c>.</summary>
public sealed class BCellRecoveryOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:BCellRecovery</c>.</summary>
    public static string Section => "BCellRecovery";

    public const double DefaultPercentThreshold = 1.0;
    public const double DefaultAbsoluteThreshold = 20;
    public const int DefaultEarlyDayLimit = 180;

    public const string DefaultSuggestedAction =
        "Late B-cell recovery (loss of CAR-T persistence): continue MRD monitoring; plan revaccination when appropriate.";

    public const string DefaultEarlySuggestedAction =
        "Early B-cell recovery (before day +180): higher relapse risk — repeat MRD and discuss consolidation (HSCT, re-infusion or maintenance).";

    public BCellRecoveryOptions()
    {
        Severity = AlertSeverity.Info;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>CD19+ B cells, % of lymphocytes, at or above which B cells have recovered. Default 1 %.</summary>
    [Range(0.01, 50)]
    public double PercentThreshold { get; set; } = DefaultPercentThreshold;

    /// <summary>CD19+ B cells, cells/µL, at or above which B cells have recovered. Default 20.</summary>
    [Range(1, 1000)]
    public double AbsoluteThreshold { get; set; } = DefaultAbsoluteThreshold;

    /// <summary>Consecutive recovered samples needed (docs/clinical.md suggests 2 for confirmation). Default 1.</summary>
    [Range(1, 10)]
    public int ConsecutiveResults { get; set; } = 1;

    /// <summary>Recovery before this day is early. Default 180.</summary>
    [Range(1, 3650)]
    public int EarlyDayLimit { get; set; } = DefaultEarlyDayLimit;

    /// <summary>Severity of an early recovery. Default warning.</summary>
    public AlertSeverity EarlySeverity { get; set; } = AlertSeverity.Warning;

    [Required(AllowEmptyStrings = false)]
    [StringLength(500)]
    public string EarlySuggestedAction { get; set; } = DefaultEarlySuggestedAction;
}

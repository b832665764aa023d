using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.Cytopenia;

/// <summary>Settings shared by the severe cytopenia rules.</summary>
public abstract class CytopeniaOptions : RuleOptions
{
    public const int DefaultMinDay = 14;

    protected CytopeniaOptions(string action, double recoveryThreshold, bool recoveryOnConsecutiveDays)
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = action;
        RecoveryThreshold = recoveryThreshold;
        RecoveryOnConsecutiveDays = recoveryOnConsecutiveDays;
    }

    /// <summary>
    /// A value at or above this (canonical unit) counts towards a recovery (docs/clinical.md §2.6: ANC 0.5 × 10⁹/L, platelets
    /// 20 × 10⁹/L; haemoglobin has no published definition: 8.0 g/dL, the rule's threshold).
    /// </summary>
    [Range(0.01, 500)]
    public double RecoveryThreshold { get; set; }

    /// <summary>Consecutive values, on different days, at or above <see cref="RecoveryThreshold"/> that make a recovery. Default 3.</summary>
    [Range(1, 14)]
    public int RecoveryValues { get; set; } = 3;

    /// <summary>True: those days must be consecutive calendar days (platelets). Default false (neutrophils, haemoglobin).</summary>
    public bool RecoveryOnConsecutiveDays { get; set; }

    /// <summary>Below this value (canonical unit of the analyte) the count is severely low.</summary>
    public abstract double Threshold { get; set; }

    /// <summary>Earlier values are expected after lymphodepletion and do not alert (unless after a recovery, <see cref="RecoveryValues"/>). Default 14.</summary>
    [Range(0, 365)]
    public int MinDay { get; set; } = DefaultMinDay;
}

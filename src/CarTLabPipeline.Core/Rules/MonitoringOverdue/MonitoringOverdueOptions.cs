using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.MonitoringOverdue;

/// <summary><c>monitoring.overdue</c>.</summary>
public sealed class MonitoringOverdueOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:MonitoringOverdue</c>.</summary>
    public static string Section => "MonitoringOverdue";

    public const string DefaultSuggestedAction = "Schedule the missed bone-marrow MRD assessment.";

    public MonitoringOverdueOptions()
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Scheduled MRD assessments, days post infusion. Default day +28, month 3, 6 and 12 (28, 90, 180, 365).</summary>
    [MinLength(1)]
    public int[] AssessmentDays { get; set; } = [28, 90, 180, 365];

    /// <summary>Half-width of each window in days. Default 14.</summary>
    [Range(1, 90)]
    public int WindowDays { get; set; } = 14;
}

using CarTLabPipeline.Alerts;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.MonitoringOverdue;

/// <summary><c>monitoring.overdue</c>: the follow-up schedule and what to say when a window is missed.</summary>
public sealed class MonitoringOverdueOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:MonitoringOverdue</c>.</summary>
    public static string Section => "MonitoringOverdue";

    public const string DefaultSuggestedAction = "Schedule the missed test, or record why it was not done.";

    public MonitoringOverdueOptions()
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>
    /// The follow-up schedule. Empty (the default) means <see cref="DefaultSchedule"/>; configuring it replaces the whole
    /// schedule (<c>Rules__MonitoringOverdue__Schedule__0__Key=mrd</c> …).
    /// </summary>
    [ValidateEnumeratedItems]
    public ScheduledCheck[] Schedule { get; set; } = [];

    /// <summary>The schedule in force: <see cref="Schedule"/>, or the defaults when none is configured.</summary>
    public IReadOnlyList<ScheduledCheck> EffectiveSchedule => Schedule.Length > 0 ? Schedule : DefaultSchedule;

    /// <summary>
    /// Defaults from docs/clinical.md §2.7 plus the registry timepoints (EBMT: day +100, month 6, yearly): marrow MRD at day +28,
    /// months 3, 6, 12; blood counts weekly to day +28; IgG at day +28 and monthly to month 3; CD19 and CD4 at months 3, 6,
    /// 12; blood counts at day +100, month 6 and yearly to year 5.
    /// </summary>
    public static IReadOnlyList<ScheduledCheck> DefaultSchedule { get; } =
    [
        new() { Key = "mrd", Name = "bone-marrow MRD", Analytes = ["mrd"], Specimen = "marrow", Days = [28, 90, 180, 365], WindowDays = 14 },
        new() { Key = "counts", Name = "blood counts", Analytes = ["anc", "plt", "hgb"], Days = [7, 14, 21, 28], WindowDays = 3 },
        new() { Key = "igg", Name = "IgG", Analytes = ["igg"], Days = [28, 60, 90], WindowDays = 10 },
        new() { Key = "cd19", Name = "CD19+ B cells", Analytes = ["cd19_pct", "cd19_abs"], Days = [90, 180, 365], WindowDays = 14 },
        new() { Key = "cd4", Name = "CD4+ T cells", Analytes = ["cd4_abs", "cd4_pct"], Days = [90, 180, 365], WindowDays = 14 },
        new() { Key = "registry-d100", Name = "registry day +100 blood counts", Analytes = ["anc", "plt", "hgb"], Days = [100], WindowDays = 14 },
        new() { Key = "registry", Name = "registry blood counts", Analytes = ["anc", "plt", "hgb"], Days = [180, 365, 730, 1095, 1460, 1825], WindowDays = 30 },
    ];
}

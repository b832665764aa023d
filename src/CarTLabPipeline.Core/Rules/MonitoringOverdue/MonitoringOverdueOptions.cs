using System.ComponentModel.DataAnnotations;
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

/// <summary>One line of the follow-up schedule: a test, the days it is due and the window around each.</summary>
public sealed class ScheduledCheck : IValidatableObject
{
    /// <summary>Stable key, part of the alert id (<c>mrd</c>, <c>counts</c> …).</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z0-9-]{1,40}$")]
    public string Key { get; set; } = string.Empty;

    /// <summary>The test as clinicians name it, e.g. <c>bone-marrow MRD</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(80)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Analyte keywords (<c>mrd</c>, <c>anc</c>, <c>igg</c> …); a result of any of them satisfies the check.</summary>
    [MinLength(1)]
    public string[] Analytes { get; set; } = [];

    /// <summary>Required specimen kind (<c>marrow</c>, <c>blood</c>); null = any (a result without a stated specimen counts as marrow for MRD).</summary>
    public string? Specimen { get; set; }

    /// <summary>Days post infusion the test is due.</summary>
    [MinLength(1)]
    public int[] Days { get; set; } = [];

    /// <summary>Half-width of each window in days.</summary>
    [Range(1, 90)]
    public int WindowDays { get; set; } = 14;

    /// <summary>Products the check applies to (e.g. <c>tisa-cel</c>); empty = every product.</summary>
    public string[] Products { get; set; } = [];

    /// <summary>True when the check applies to <paramref name="product"/>.</summary>
    public bool AppliesTo(string product) => Products.Length == 0 || Products.Contains(product, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var a in Analytes.Where(a => !Domain.AnalyteCatalog.TryResolve(a, out _)))
        {
            yield return new ValidationResult($"'{a}' is not an analyte keyword", [nameof(Analytes)]);
        }

        if (Days.Any(d => d is < 0 or > 3650))
        {
            yield return new ValidationResult("days must be 0–3650", [nameof(Days)]);
        }
    }
}

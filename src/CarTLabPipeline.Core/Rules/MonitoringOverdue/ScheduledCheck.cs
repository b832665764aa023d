using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Rules.MonitoringOverdue;

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

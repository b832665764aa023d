using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules;

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

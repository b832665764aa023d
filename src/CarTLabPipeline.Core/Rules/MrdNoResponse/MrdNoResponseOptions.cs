using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.MrdNoResponse;

/// <summary><c>mrd.no-response</c>: the day +28 marrow MRD still at or above 10⁻⁴.</summary>
public sealed class MrdNoResponseOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:MrdNoResponse</c>.</summary>
    public static string Section => "MrdNoResponse";

    public const string DefaultSuggestedAction =
        "No MRD response to CAR-T: discuss at the CAR-T board now — consolidation (allogeneic HSCT) or further therapy; " +
        "repeat bone-marrow MRD in 2–4 weeks if the level is low.";

    public MrdNoResponseOptions()
    {
        Severity = AlertSeverity.Critical;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Day of the response assessment. Default 28.</summary>
    [Range(7, 180)]
    public int AssessmentDay { get; set; } = 28;

    /// <summary>Half-width of its window in days. Default 14 (day +14 … +42).</summary>
    [Range(1, 60)]
    public int WindowDays { get; set; } = 14;
}

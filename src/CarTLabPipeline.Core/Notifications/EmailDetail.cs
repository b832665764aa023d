
namespace CarTLabPipeline.Notifications;

/// <summary>How much clinical detail an alert email carries (docs/privacy.md).</summary>
public enum EmailDetail
{
    /// <summary>Summary, evidence values, chart, patient id: what a clinician needs to act from the mail.</summary>
    Clinical,
    /// <summary>No patient id, no values, no chart: the alert's title, day and a link to the timeline.</summary>
    Minimal,
}

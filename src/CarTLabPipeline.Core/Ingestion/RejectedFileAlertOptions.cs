
namespace CarTLabPipeline.Ingestion;

/// <summary>Settings of the <c>ingest.rejected</c> ops alert.</summary>
public sealed class RejectedFileAlertOptions
{
    /// <summary>Whether the alert is raised. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Its severity. Default warning.</summary>
    public Alerts.AlertSeverity Severity { get; set; } = Alerts.AlertSeverity.Warning;
}

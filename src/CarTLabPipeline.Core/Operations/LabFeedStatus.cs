using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Operations;

/// <summary>The last file a lab sent (its drop-zone folder) and when it arrived.</summary>
public sealed record LabFeedStatus(string Lab, string LastFile, DateTimeOffset LastReceivedAt)
{
    /// <summary>Keeps in <paramref name="latest"/> (by lab) the newest file of each lab, given one more ledger report.</summary>
    public static void Track(Dictionary<string, LabFeedStatus> latest, IngestionReport report)
    {
        ArgumentNullException.ThrowIfNull(latest);
        ArgumentNullException.ThrowIfNull(report);
        var received = report.ReceivedAt ?? report.StartedAt;
        var lab = PipelineStatusService.LabOf(report.File);
        if (!latest.TryGetValue(lab, out var last) || received > last.LastReceivedAt)
        {
            latest[lab] = new LabFeedStatus(lab, report.File, received);
        }
    }
}

using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// <c>ingest.rejected</c>: a lab file was rejected as a whole, or some of its results were. For ops (the lab integration),
/// not clinicians; one alert per file content (the id hashes the rule and the content's SHA-256, so a re-run or a copy under
/// another name raises nothing new), under the pseudo-patient <see cref="PoisonMessageAlerts.OpsPartition"/>. The text names
/// the file and the counts, never a value or a patient id: the reasons are in the rejection report.
/// </summary>
public sealed class RejectedFileAlerts(AlertOutbox outbox, IOptions<IngestionOptions> options, TimeProvider time)
{
    public const string RuleId = "ingest.rejected";

    /// <summary>Raises the alert for <paramref name="report"/> when it rejected anything; false when none was raised.</summary>
    public Task<bool> RaiseAsync(IngestionReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = options.Value.RejectedAlert;
        if (!o.Enabled || (report.Rejected == 0 && report.Status != IngestionStatus.Rejected))
        {
            return Task.FromResult(false);
        }

        var whole = report.Status == IngestionStatus.Rejected && report.Stored == 0;
        var summary = whole
            ? $"Lab file {report.File} ({report.Format.DisplayName()}) was rejected: nothing of it was stored."
            : string.Create(CultureInfo.InvariantCulture,
                $"Lab file {report.File} ({report.Format.DisplayName()}): {report.Rejected} result(s) rejected, {report.Stored} stored, {report.Skipped} skipped.");
        var alert = Alert.ForOps(RuleId, PoisonMessageAlerts.OpsPartition, [report.ContentSha256], o.Severity,
            whole ? "A lab file was rejected" : "Results of a lab file were rejected",
            summary + " The reasons (line, field, and the setting that resolves each when there is one) are in its rejection report in " +
            $"{PipelineNames.Containers.Rejected} and in 'cartlab rejected'.",
            "Read the rejection report; fix the lab's conventions (Ingestion__Labs__{lab}__…) or have the lab correct and re-send the file, then 'cartlab replay' it.",
            time.GetUtcNow());
        return outbox.TryRaiseAsync(alert, null, cancellationToken);
    }
}

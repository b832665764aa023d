using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Notifications;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// <c>ingest.rejected</c>: a lab file was rejected as a whole, or some of its results were. For ops (the lab integration),
/// not clinicians; one alert per file content (the id hashes the rule and the content's SHA-256, so a re-run or a copy under
/// another name raises nothing new), under the pseudo-patient <see cref="PoisonMessageAlerts.OpsPartition"/>. The text names
/// the file and the counts, never a value or a patient id: the reasons are in the rejection report. The alert follows the
/// file: a replay that rejects less updates it, one that stores everything retracts it.
/// </summary>
public sealed class RejectedFileAlerts(AlertOutbox outbox, IAlertStore alerts, IOptions<IngestionOptions> options, TimeProvider time)
{
    public const string RuleId = "ingest.rejected";

    /// <summary>
    /// Brings the file's alert in line with <paramref name="report"/> (its latest ingestion): raised when it rejected
    /// anything, revised when the counts changed, retracted when nothing is rejected any more. True when an alert changed.
    /// </summary>
    public async Task<bool> ReportAsync(IngestionReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var o = options.Value.RejectedAlert;
        if (!o.Enabled)
        {
            return false;
        }

        var rejected = report.Rejected > 0 || report.Status == IngestionStatus.Rejected;
        var id = AlertIds.Create(RuleId, PoisonMessageAlerts.OpsPartition, [report.ContentSha256]);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var stored = await alerts.GetAsync(PoisonMessageAlerts.OpsPartition, id, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (!rejected)
            {
                if (stored is null || stored.Alert.Status == AlertStatus.Retracted)
                {
                    return false;
                }

                var retracted = stored.Alert.Retract(string.Create(CultureInfo.InvariantCulture,
                    $"the file was processed again ({report.File}, {now.UtcDateTime:yyyy-MM-dd HH:mm} UTC) and none of its results was rejected: {report.Stored} stored, {report.Skipped} skipped"), now);
                if (await outbox.TryReviseAsync(stored, retracted, null, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }

                continue;
            }

            var alert = Raised(report, o.Severity, now);
            if (stored is null)
            {
                if (await outbox.TryRaiseAsync(alert, null, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }

                continue;
            }

            if (stored.Alert.Status != AlertStatus.Retracted && stored.Alert.Title == alert.Title)
            {
                return false; // the same outcome again (a re-run, a copy under another name): nothing new
            }

            var revised = stored.Alert.ReviseTo(alert,
                stored.Alert.Status == AlertStatus.Retracted ? $"rejected again: {alert.Summary}" : $"processed again: {alert.Summary}", now);
            if (await outbox.TryReviseAsync(stored, revised, null, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }

    private static Alert Raised(IngestionReport report, AlertSeverity severity, DateTimeOffset now)
    {
        var whole = report.Status == IngestionStatus.Rejected && report.Stored == 0;
        var summary = whole
            ? $"Lab file {report.File} ({report.Format.DisplayName()}) was rejected: nothing of it was stored."
            : string.Create(CultureInfo.InvariantCulture,
                $"Lab file {report.File} ({report.Format.DisplayName()}): {report.Rejected} result(s) rejected, {report.Stored} stored, {report.Skipped} skipped.");
        return Alert.ForOps(RuleId, PoisonMessageAlerts.OpsPartition, [report.ContentSha256], severity,
            whole ? "A lab file was rejected" : string.Create(CultureInfo.InvariantCulture, $"{report.Rejected} result(s) of a lab file rejected"),
            summary + " The reasons (line, field, and the setting that resolves each when there is one) are in its rejection report in " +
            $"{PipelineNames.Containers.Rejected} and in 'cartlab rejected'.",
            "Read the rejection report; fix the lab's conventions (Ingestion__Labs__{lab}__…) or have the lab correct and re-send the file, then 'cartlab replay' it.",
            now);
    }
}

using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Notifications;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Operations;

/// <summary>
/// <c>ingest.feed-silent</c>: a lab watched with <c>Ingestion__Labs__{lab}__ExpectedEvery</c> sent no file for longer than
/// that. For ops, under the pseudo-patient <see cref="PoisonMessageAlerts.OpsPartition"/>; one alert per silence (the id
/// hashes the lab and its last file), retracted when a file arrives (or the lab is no longer watched) — the open alerts are
/// always what the ledger says now. A lab that never sent a file is not judged: nothing tells when it should have started.
/// </summary>
public sealed class FeedSilenceAlerts(IPipelineMonitor monitor, IAlertStore alerts, AlertOutbox outbox, IOptions<IngestionOptions> options, TimeProvider time)
{
    public const string RuleId = "ingest.feed-silent";

    /// <summary>Raises and retracts; returns how many alerts it raised or retracted.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var watched = options.Value.Labs
            .Where(l => l.Value.ExpectedEvery is not null)
            .ToDictionary(l => l.Key, l => l.Value.ExpectedEvery!.Value, StringComparer.OrdinalIgnoreCase);
        var silent = new Dictionary<string, Alert>(StringComparer.Ordinal);
        if (watched.Count > 0)
        {
            var last = new Dictionary<string, LabFeedStatus>(StringComparer.OrdinalIgnoreCase);
            await foreach (var report in monitor.ListFileReportsAsync(cancellationToken).ConfigureAwait(false))
            {
                LabFeedStatus.Track(last, report);
            }

            foreach (var feed in last.Values.Where(f => watched.ContainsKey(f.Lab) && now - f.LastReceivedAt > watched[f.Lab]))
            {
                var alert = Silent(feed, watched[feed.Lab], now);
                silent[alert.AlertId] = alert;
            }
        }

        var changed = 0;
        var open = (await alerts.ListForPatientAsync(PoisonMessageAlerts.OpsPartition, cancellationToken).ConfigureAwait(false))
            .Where(a => a.Alert.RuleId == RuleId && a.Alert.Status != AlertStatus.Retracted)
            .ToList();
        foreach (var stored in open.Where(a => !silent.ContainsKey(a.Alert.AlertId)))
        {
            var retracted = AlertRevisions.Retract(stored.Alert,
                "the lab's files arrive again (or the lab is no longer watched); 'cartlab status' shows the last file per lab", now);
            changed += await outbox.TryReviseAsync(stored, retracted, null, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        foreach (var alert in silent.Values.Where(a => open.All(o => o.Alert.AlertId != a.AlertId)))
        {
            changed += await outbox.TryRaiseAsync(alert, null, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        return changed;
    }

    private static Alert Silent(LabFeedStatus feed, TimeSpan expected, DateTimeOffset now)
    {
        var c = CultureInfo.InvariantCulture;
        var quiet = now - feed.LastReceivedAt;
        return Alert.ForOps(RuleId, PoisonMessageAlerts.OpsPartition, [feed.Lab, feed.LastFile], AlertSeverity.Warning,
            $"No file from lab {feed.Lab} for {Duration(quiet)}",
            string.Create(c, $"Lab {feed.Lab} is expected to send a file at least every {Duration(expected)} (Ingestion__Labs__{feed.Lab}__ExpectedEvery); ") +
            string.Create(c, $"its last file, {feed.LastFile}, arrived {feed.LastReceivedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {Duration(quiet)} ago. ") +
            "Results it holds back reach no rule and no clinician.",
            "Ask the lab whether its interface is down or files are queued on its side; check the drop zone's access for the lab's identity.",
            now);
    }

    private static string Duration(TimeSpan span) => span.TotalHours < 48
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h")
        : string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} days");
}

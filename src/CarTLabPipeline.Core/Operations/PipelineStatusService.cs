using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Operations;

/// <summary>
/// What the queues, the ledger and the outbox say about the pipeline's health, and what of it needs a person: work
/// waiting longer than it should, anything in a poison queue, rejected files, files stuck in processing, failed
/// deliveries, patients not evaluated because their record is over the limit. Read only; ids and counts, never a value.
/// </summary>
public sealed class PipelineStatusService(
    IPipelineMonitor monitor,
    IAlertStore alerts,
    IOptions<IngestionOptions> ingestion,
    IOptions<EscalationOptions> escalation,
    TimeProvider time)
{
    /// <summary>A message waiting longer than this in a trigger queue means the triggers are not keeping up (or not running).</summary>
    public static readonly TimeSpan MaxQueueAge = TimeSpan.FromMinutes(15);

    /// <summary>A delivery still waiting after this long needs a look (retries back off to 15 minutes).</summary>
    public static readonly TimeSpan MaxDeliveryWait = TimeSpan.FromMinutes(30);

    /// <summary>An escalation due longer ago than this was not sent: the escalation timer is not running, or has nobody to send to.</summary>
    public static readonly TimeSpan MaxEscalationDelay = TimeSpan.FromMinutes(15);

    /// <summary>
    /// <c>GET /api/health</c>: whether storage answers; with <paramref name="detail"/> (signed-in ops) also the whole status,
    /// and then healthy only when nothing needs a person. Never throws for a storage refusal: that is the answer.
    /// </summary>
    public async Task<PipelineHealth> CheckHealthAsync(bool detail, CancellationToken cancellationToken)
    {
        var refusal = await monitor.ProbeStorageAsync(cancellationToken).ConfigureAwait(false);
        var pipeline = detail && refusal is null ? await GetAsync(cancellationToken).ConfigureAwait(false) : null;
        return new PipelineHealth
        {
            Status = refusal is null && (pipeline?.Healthy ?? true) ? "healthy" : "unhealthy",
            Storage = refusal ?? "ok",
            Pipeline = pipeline,
        };
    }

    public async Task<PipelineStatus> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var queues = new List<QueueStatus>();
        var poison = new List<QueueStatus>();
        foreach (var name in PipelineNames.Queues.Triggered)
        {
            queues.Add(await monitor.GetQueueStatusAsync(name, readReasons: false, cancellationToken).ConfigureAwait(false));
            poison.Add(await monitor.GetQueueStatusAsync(name + PipelineNames.Queues.PoisonSuffix, readReasons: true, cancellationToken).ConfigureAwait(false));
        }

        var labs = new Dictionary<string, LabFeedStatus>(StringComparer.Ordinal);
        var rejected = new List<RejectedFileStatus>();
        var stuck = new List<string>();
        await foreach (var report in monitor.ListFileReportsAsync(cancellationToken).ConfigureAwait(false))
        {
            LabFeedStatus.Track(labs, report);
            var received = report.ReceivedAt ?? report.StartedAt;

            if (report.Status is IngestionStatus.Rejected or IngestionStatus.Partial && received >= now.AddHours(-24))
            {
                rejected.Add(new RejectedFileStatus(report.File, received, report.Status, report.Stored, report.Rejected));
            }

            if (report.Status == IngestionStatus.Processing && report.StartedAt + ingestion.Value.ProcessingLease < now)
            {
                stuck.Add(report.File);
            }
        }

        var deliveries = new List<DeliveryProblem>();
        var escalations = new List<PendingEscalation>();
        var notEvaluated = new List<string>();
        await foreach (var row in alerts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (RecordTooLarge.Stands(row.Alert))
            {
                notEvaluated.Add(row.Alert.PatientId);
            }

            if (EscalationService.NextDue(row.Alert, escalation.Value) is { } due)
            {
                escalations.Add(new PendingEscalation(row.Alert.AlertId, row.Alert.RuleId, due, row.Alert.Escalations.Count));
            }

            var failed = row.Deliveries.Values.Where(d => d.State == DeliveryState.Failed).ToList();
            var waiting = row.Deliveries.Values.Where(d => !d.IsSettled).ToList();
            if (failed.Count == 0 && waiting.Count == 0)
            {
                continue;
            }

            var since = waiting.Count == 0 ? (DateTimeOffset?)null : row.Alert.UpdatedAt ?? row.Alert.CreatedAt;
            var lastError = failed.Concat(waiting).Select(d => d.LastError).LastOrDefault(e => e is not null);
            deliveries.Add(new DeliveryProblem(row.Alert.AlertId, row.Alert.RuleId, failed.Count, waiting.Count, since, lastError));
        }

        var attention = new List<string>();
        foreach (var q in queues.Where(q => q.OldestEnqueuedAt is { } oldest && now - oldest > MaxQueueAge))
        {
            attention.Add(Invariant($"{q.Queue}: {q.Depth} message(s), the oldest waiting {Minutes(now - q.OldestEnqueuedAt!.Value)} — are the triggers running?"));
        }

        foreach (var q in poison.Where(q => q.Depth > 0))
        {
            attention.Add(Invariant($"{q.Queue}: {q.Depth} message(s){(q.NewestReason is null ? string.Empty : $", newest reason: {q.NewestReason}")}"));
        }

        if (rejected.Count > 0)
        {
            attention.Add(Invariant($"{rejected.Count} file(s) with rejections in the last 24 h — see 'cartlab rejected'"));
        }

        if (stuck.Count > 0)
        {
            attention.Add(Invariant($"{stuck.Count} file(s) in processing longer than the {Minutes(ingestion.Value.ProcessingLease)} lease: {string.Join(", ", stuck.Take(5))}"));
        }

        var failedAlerts = deliveries.Count(d => d.Failed > 0);
        if (failedAlerts > 0)
        {
            attention.Add(Invariant($"{failedAlerts} alert(s) with failed deliveries — fix the channel, then 'cartlab redeliver <alertId>'"));
        }

        var late = deliveries.Count(d => d.OldestWaitingSince is { } s && now - s > MaxDeliveryWait);
        if (late > 0)
        {
            attention.Add(Invariant($"{late} alert(s) with deliveries waiting longer than {Minutes(MaxDeliveryWait)}"));
        }

        if (notEvaluated.Count > 0)
        {
            // Acknowledged or not: while the alert stands, the patient is not evaluated (no alert raised, updated or retracted).
            var ids = string.Join(", ", notEvaluated.Order(StringComparer.Ordinal).Take(5)) + (notEvaluated.Count > 5 ? ", …" : string.Empty);
            attention.Add(Invariant($"{notEvaluated.Count} patient(s) not evaluated, their record over {EvaluationOptions.MaxRecordVersionsSetting} ({ids}) — see their evaluation.record-too-large alert: stop the feed that sent the results, or raise the setting and run 'cartlab monitor'"));
        }

        var overdue = escalations.Count(e => now - e.DueAt > MaxEscalationDelay);
        if (overdue > 0)
        {
            attention.Add(Invariant($"{overdue} critical alert(s) due for escalation more than {Minutes(MaxEscalationDelay)} ago and not escalated — is the escalation timer running, and Email__OnCall set?"));
        }

        return new PipelineStatus
        {
            AsOf = now,
            Queues = queues,
            Poison = poison,
            Labs = [.. labs.Values.OrderBy(l => l.Lab, StringComparer.Ordinal)],
            RejectedLast24Hours = [.. rejected.OrderByDescending(r => r.ReceivedAt)],
            StuckFiles = stuck,
            Deliveries = [.. deliveries.OrderByDescending(d => d.Failed).ThenBy(d => d.AlertId, StringComparer.Ordinal)],
            EscalationsPending = [.. escalations.OrderBy(e => e.DueAt).ThenBy(e => e.AlertId, StringComparer.Ordinal)],
            NeedsAttention = attention,
        };
    }

    /// <summary>The lab of a drop-zone blob: its first folder (<c>lab-results/{lab}/{file}</c>), else <c>default</c>.</summary>
    public static string LabOf(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var slash = file.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? file[..slash] : "default";
    }

    private static string Minutes(TimeSpan span) =>
        span.TotalMinutes < 120 ? Invariant($"{(int)span.TotalMinutes} min") : Invariant($"{span.TotalHours:0.#} h");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// Delivers an alert's pending deliveries. The alert row is the outbox: each delivery is claimed with an ETag-checked
/// write before it is sent and marked sent after, so a re-delivered or concurrent message sends nothing twice (a claim
/// older than the lease is taken over: its holder died).
/// A transient failure (429, 5xx, timeout, relay down) records the error and a not-before time (exponential back-off, at
/// least the provider's Retry-After) and queues the notification again with that visibility delay: nobody sleeps in a
/// function. After the last attempt, or at once for a permanent refusal, the delivery is marked failed, the request is
/// moved to <c>alert-notifications-poison</c> with the reason, and ops are told by a <c>delivery.failed</c> alert.
/// </summary>
public sealed class AlertDispatchService(
    IAlertStore alerts,
    IEnumerable<IAlertPublisher> publishers,
    IPipelineQueue queue,
    AlertOutbox outbox,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<AlertDispatchService> logger)
{
    /// <summary>Rule id of the ops alert raised when a delivery fails for good.</summary>
    public const string DeliveryFailedRuleId = "delivery.failed";

    private readonly Dictionary<string, IAlertPublisher> _publishers = publishers.ToDictionary(p => p.Channel, StringComparer.Ordinal);
    private readonly NotificationOptions _options = options.Value;

    /// <summary>
    /// How far ahead of a waiting delivery's back-off a message must come for the dispatcher to take it for a visit, not
    /// for the retry that back-off scheduled (a queue truncates a delay to whole seconds: a retry comes up to 1 s early).
    /// </summary>
    public static readonly TimeSpan EarlySlack = TimeSpan.FromSeconds(2);

    private enum DeliverResult
    {
        Sent,
        AlreadyDone,
        Elsewhere,
        NotDue,
        Deferred,
        Failed,
    }

    /// <summary>Handles an <c>alert-notifications</c> message body.</summary>
    /// <exception cref="PermanentPipelineException">Not a notification request (it goes to the poison queue at once).</exception>
    public Task<DispatchOutcome> HandleMessageAsync(string message, CancellationToken cancellationToken)
    {
        var request = PipelineJson.ReadMessage<NotificationRequest>(message, "an alert-notifications message must be {\"alertId\":\"…\",\"patientId\":\"…\"}",
            r => !string.IsNullOrWhiteSpace(r.AlertId));
        return DispatchAsync(request, cancellationToken);
    }

    public async Task<DispatchOutcome> DispatchAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var row = await LoadAsync(request, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            Log.AlertMissing(logger, request.AlertId);
            return new DispatchOutcome(request.AlertId, 0, 0, 0, 0, 0);
        }

        request = request with { PatientId = row.Alert.PatientId };
        int sent = 0, done = 0, elsewhere = 0, deferred = 0, attempted = 0;
        DateTimeOffset? retryAt = null;
        var failures = new List<Delivery>();
        Alert? failedAlert = null;
        StoredAlert? known = row;
        foreach (var key in row.Deliveries.Keys.Order(StringComparer.Ordinal).ToList())
        {
            var (outcome, delivery, alert, latest) = await DeliverOneAsync(request, key, known, cancellationToken).ConfigureAwait(false);
            known = latest;
            switch (outcome)
            {
                case DeliverResult.Sent: sent++; attempted++; break;
                case DeliverResult.AlreadyDone: done++; break;
                case DeliverResult.Elsewhere:
                    // Claimed by another host: look again when its lease ends. If it finished, that look finds the
                    // delivery done; if it died, it takes the claim over — the notice is never left to the next recovery pass.
                    elsewhere++;
                    retryAt = Earliest(retryAt, delivery!.ClaimedAt + _options.ClaimLease + TimeSpan.FromSeconds(1));
                    break;
                case DeliverResult.NotDue:
                    deferred++;
                    retryAt = Earliest(retryAt, delivery!.NotBefore);
                    break;
                case DeliverResult.Deferred:
                    deferred++;
                    attempted++;
                    retryAt = Earliest(retryAt, delivery!.NotBefore);
                    break;
                default:
                    attempted++;
                    failures.Add(delivery!);
                    failedAlert = alert;
                    break;
            }
        }

        if (failures.Count > 0)
        {
            await ReportFailuresAsync(request, failedAlert!, failures, cancellationToken).ConfigureAwait(false);
        }

        // A message that comes well before every waiting delivery is due and finds nothing to do (a recovery pass, a
        // re-notification) queues nothing: the attempt that set those back-offs queued the retry for the earliest of them
        // (if the host died before it could, the outbox recovery pass queues one once they are due). Queuing another would
        // add a message per alert for each such visit, for as long as an outage lasts.
        var visit = attempted == 0 && elsewhere == 0 && retryAt is { } waitUntil && waitUntil - time.GetUtcNow() > EarlySlack;
        if (visit)
        {
            Log.DeliveryRetryAlreadyQueued(logger, request.AlertId, deferred, retryAt!.Value);
        }
        else if (retryAt is { } due)
        {
            // One retry message per dispatch, however many deliveries wait: messages never multiply.
            var delay = due - time.GetUtcNow();
            await queue.SendAsync(PipelineNames.Queues.AlertNotifications, request, delay > TimeSpan.FromSeconds(1) ? delay : TimeSpan.FromSeconds(1), cancellationToken)
                .ConfigureAwait(false);
            Log.DeliveryRetryQueued(logger, request.AlertId, deferred, elsewhere, due);
        }

        return new DispatchOutcome(request.AlertId, sent, done, elsewhere, deferred, failures.Count) { RetryAt = retryAt };
    }

    /// <summary>
    /// Delivers one ledger entry. <paramref name="known"/> is the row as last read or written by this dispatcher (saves a
    /// read per delivery; a stale one only costs a 412 and a re-read). Returns the row as it now stands, when known.
    /// </summary>
    private async Task<(DeliverResult Outcome, Delivery? Delivery, Alert? Alert, StoredAlert? Latest)> DeliverOneAsync(
        NotificationRequest request, string key, StoredAlert? known, CancellationToken ct)
    {
        while (true)
        {
            var row = known ?? await LoadAsync(request, ct).ConfigureAwait(false);
            known = null;
            if (row is null || !row.Deliveries.TryGetValue(key, out var delivery))
            {
                return (DeliverResult.AlreadyDone, null, null, row);
            }

            var now = time.GetUtcNow();
            if (delivery.IsSettled)
            {
                return (DeliverResult.AlreadyDone, delivery, row.Alert, row);
            }

            if (delivery.State == DeliveryState.Sending && delivery.ClaimedAt is { } claimed && now - claimed < _options.ClaimLease)
            {
                return (DeliverResult.Elsewhere, delivery, row.Alert, row);
            }

            if (delivery.State == DeliveryState.Pending && delivery.NotBefore is { } notBefore && notBefore > now)
            {
                return (DeliverResult.NotDue, delivery, row.Alert, row);
            }

            if (!_publishers.TryGetValue(delivery.Channel, out var publisher))
            {
                return (DeliverResult.AlreadyDone, delivery, row.Alert, row); // a channel this host does not serve
            }

            var claim = delivery with { State = DeliveryState.Sending, ClaimedAt = now, Attempts = delivery.Attempts + 1 };
            var afterClaim = With(row, claim);
            if (await alerts.TryUpdateAsync(row.Alert, afterClaim, row.ETag, ct).ConfigureAwait(false) is not { } claimedETag)
            {
                continue; // someone changed the row: read again
            }

            string? providerId = null;
            Exception? error = null;
            try
            {
                providerId = await publisher.PublishAsync(row.Alert, delivery, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error = ex; // a timeout (OperationCanceledException without our token cancelled) is transient
            }

            var final = error is null ? Sent(claim, providerId) : Unsent(claim, error);
            var latest = await MarkAsync(request, new StoredAlert(row.Alert, afterClaim, claimedETag), final, ct).ConfigureAwait(false);
            if (error is null)
            {
                Log.DeliverySent(logger, request.AlertId, delivery.Channel, delivery.Event);
                return (DeliverResult.Sent, final, row.Alert, latest);
            }

            Log.DeliveryFailed(logger, error, request.AlertId, delivery.Channel, claim.Attempts, final.State == DeliveryState.Failed);
            return (final.State == DeliveryState.Failed ? DeliverResult.Failed : DeliverResult.Deferred, final, row.Alert, latest);
        }
    }

    private Delivery Sent(Delivery claim, string? providerId) =>
        claim with { State = DeliveryState.Sent, SentAt = time.GetUtcNow(), ProviderMessageId = providerId, LastError = null, NotBefore = null };

    private Delivery Unsent(Delivery claim, Exception error)
    {
        var delivery = error as DeliveryException;
        var transient = delivery?.Transient ?? true;
        var last = !transient || claim.Attempts >= _options.MaxAttempts;
        var message = Truncate((transient ? string.Empty : "refused: ") + error.Message);
        return last
            ? claim with { State = DeliveryState.Failed, LastError = message, NotBefore = null }
            : claim with
            {
                State = DeliveryState.Pending,
                LastError = message,
                NotBefore = time.GetUtcNow() + _options.BackOff(claim.Attempts, delivery?.RetryAfter),
            };
    }

    /// <summary>
    /// Poisons the request with the reasons and raises one ops alert for the alert, however many of its deliveries failed
    /// (one per recipient would bury ops in copies of one fault; <c>cartlab redeliver</c> resends them all). Not for a
    /// failed ops alert: no loops.
    /// </summary>
    private async Task ReportFailuresAsync(NotificationRequest request, Alert alert, IReadOnlyList<Delivery> failures, CancellationToken ct)
    {
        var reason = string.Join("; ", failures.Select(d => $"{d.Key} failed after {d.Attempts} attempt(s): {d.LastError}"));
        await queue.SendAsync(PipelineNames.Queues.AlertNotifications + PipelineNames.Queues.PoisonSuffix,
            new PoisonedMessage(reason, PipelineJson.Serialize(request)), null, ct).ConfigureAwait(false);
        if (alert.RuleId == DeliveryFailedRuleId)
        {
            foreach (var channel in failures.Select(d => d.Channel).Distinct(StringComparer.Ordinal))
            {
                Log.OpsAlertUndeliverable(logger, alert.AlertId, channel);
            }

            return;
        }

        // Keyed by the alert alone: a later failure of another delivery of the same alert is the same fault for ops.
        var opsAlert = Alert.ForOps(DeliveryFailedRuleId, alert.PatientId, [alert.AlertId], AlertSeverity.Warning,
            $"An alert could not be delivered by {string.Join(" and ", failures.Select(d => d.Channel).Distinct(StringComparer.Ordinal))}",
            $"Alert {alert.AlertId} ({alert.RuleId}, {alert.Severity.ToString().ToLowerInvariant()}): " +
                string.Join("; ", failures.GroupBy(d => (d.Event, d.Channel, d.Attempts, d.LastError)).Select(Describe)) + ".",
            "Fix the channel (provider status, API key, relay), then run `cartlab redeliver " + alert.AlertId +
                "` (with --account <storage account> against a deployment); tell the care team directly if the alert is clinically urgent.",
            time.GetUtcNow());
        if (await outbox.TryRaiseAsync(opsAlert, null, ct).ConfigureAwait(false))
        {
            Log.AlertRaised(logger, opsAlert.AlertId, opsAlert.RuleId, opsAlert.PatientId);
        }

        // Recipients that failed alike are named together: "… by email to a@…, b@… failed after 5 attempt(s) (last error: …)".
        static string Describe(IGrouping<(string Event, string Channel, int Attempts, string? LastError), Delivery> alike)
        {
            var recipients = alike.Select(d => d.Recipient).OfType<string>().ToList();
            return $"the {alike.Key.Event} notice by {alike.Key.Channel}" + (recipients.Count == 0 ? string.Empty : $" to {string.Join(", ", recipients)}") +
                $" failed after {alike.Key.Attempts} attempt(s) (last error: {alike.Key.LastError})";
        }
    }

    /// <summary>
    /// Puts failed deliveries of an alert back to pending and queues it (ops, after fixing a channel), and deletes the
    /// alert's notification requests from <c>alert-notifications-poison</c>: the alert row is the ledger, and a delivery
    /// that fails again is poisoned again; left there, they would keep the poison alarm and <c>cartlab status</c> red
    /// after the fix.
    /// </summary>
    public async Task<Redelivery> RedeliverAsync(string alertId, CancellationToken cancellationToken)
    {
        var queued = await ResetFailedAsync(alertId, cancellationToken).ConfigureAwait(false);
        if (queued is null)
        {
            return new Redelivery(Found: false, 0, 0);
        }

        var cleared = await queue.DeleteWhereAsync(PipelineNames.Queues.AlertNotifications + PipelineNames.Queues.PoisonSuffix,
            body => PoisonedAlertId(body) == alertId, cancellationToken).ConfigureAwait(false);
        return new Redelivery(Found: true, queued.Value, cleared);
    }

    /// <summary>The alerts with a delivery that failed for good (what <c>cartlab redeliver --all</c> sends again), in id order.</summary>
    public async Task<IReadOnlyList<string>> FailedAlertIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var row in alerts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row.Deliveries.Values.Any(d => d.State == DeliveryState.Failed))
            {
                ids.Add(row.Alert.AlertId);
            }
        }

        return [.. ids.Order(StringComparer.Ordinal)];
    }

    /// <summary>Failed deliveries put back to pending (and the alert queued); null when the alert does not exist.</summary>
    private async Task<int?> ResetFailedAsync(string alertId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var row = await alerts.FindAsync(alertId, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            var reset = row.Deliveries.Values.Where(d => d.State == DeliveryState.Failed)
                .Select(d => d with { State = DeliveryState.Pending, Attempts = 0, NotBefore = null })
                .ToList();
            if (reset.Count == 0)
            {
                return 0;
            }

            var deliveries = new Dictionary<string, Delivery>(row.Deliveries, StringComparer.Ordinal);
            reset.ForEach(d => deliveries[d.Key] = d);
            if (await alerts.TryUpdateAsync(row.Alert, deliveries, row.ETag, cancellationToken).ConfigureAwait(false) is not null)
            {
                await outbox.NotifyAsync(row.Alert, cancellationToken).ConfigureAwait(false);
                return reset.Count;
            }
        }

        throw TransientPipelineException.Contended($"the deliveries of alert {alertId}", 10);
    }

    /// <summary>
    /// The alert id of a message in <c>alert-notifications-poison</c>: a <c>{reason, message}</c> the dispatcher wrote, or a
    /// request the runtime moved as it was; null when it is neither.
    /// </summary>
    private static string? PoisonedAlertId(string body)
    {
        try
        {
            return PipelineJson.Deserialize<PoisonedMessage>(body) is { Message: { } request }
                ? PoisonedAlertId(request)
                : PipelineJson.Deserialize<NotificationRequest>(body)?.AlertId;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the outcome of our claim, first on the row as our claim left it, then re-reading on concurrent changes to
    /// other deliveries of the same row. Returns the row as written (null when it vanished).
    /// </summary>
    private async Task<StoredAlert?> MarkAsync(NotificationRequest request, StoredAlert afterClaim, Delivery final, CancellationToken ct)
    {
        StoredAlert? row = afterClaim;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            row ??= await LoadAsync(request, ct).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            var deliveries = With(row, final);
            if (await alerts.TryUpdateAsync(row.Alert, deliveries, row.ETag, ct).ConfigureAwait(false) is { } etag)
            {
                return new StoredAlert(row.Alert, deliveries, etag);
            }

            row = null;
        }

        throw TransientPipelineException.Contended($"the delivery state of alert {request.AlertId}", 10);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private static Dictionary<string, Delivery> With(StoredAlert row, Delivery delivery) =>
        new(row.Deliveries, StringComparer.Ordinal) { [delivery.Key] = delivery };

    private Task<StoredAlert?> LoadAsync(NotificationRequest request, CancellationToken ct) =>
        request.PatientId is null ? alerts.FindAsync(request.AlertId, ct) : alerts.GetAsync(request.PatientId, request.AlertId, ct);

    private static string Truncate(string message) => message.Length <= 500 ? message : message[..500];
}

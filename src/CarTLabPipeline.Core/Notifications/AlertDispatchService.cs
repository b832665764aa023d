using CarTLabPipeline.Alerts;
using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Notifications;

/// <summary>Outcome of one dispatch: how many deliveries were sent now, already done, or left to another dispatcher.</summary>
public sealed record DispatchOutcome(string AlertId, int Sent, int AlreadyDone, int InProgressElsewhere, int Failed);

/// <summary>
/// Delivers an alert's pending deliveries. The alert row is the outbox: each delivery is claimed with an ETag-checked
/// write before it is sent and marked sent after, so a re-delivered or concurrent message sends nothing twice (a claim
/// older than the lease is taken over: its holder died). A failed send is recorded and rethrown as transient so the
/// queue delivers the message again; after the last attempt the delivery is marked failed.
/// </summary>
public sealed class AlertDispatchService(
    IAlertStore alerts,
    IEnumerable<IAlertPublisher> publishers,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<AlertDispatchService> logger)
{
    private readonly Dictionary<string, IAlertPublisher> _publishers = publishers.ToDictionary(p => p.Channel, StringComparer.Ordinal);
    private readonly NotificationOptions _options = options.Value;

    /// <summary>Handles an <c>alert-notifications</c> message body.</summary>
    /// <exception cref="FormatException">Not a notification request (it goes to the poison queue).</exception>
    /// <exception cref="TransientPipelineException">A delivery failed and should be retried.</exception>
    public Task<DispatchOutcome> HandleMessageAsync(string message, CancellationToken cancellationToken)
    {
        var request = PipelineJson.Deserialize<NotificationRequest>(message);
        if (request is null || string.IsNullOrWhiteSpace(request.AlertId))
        {
            throw new FormatException("an alert-notifications message must be {\"alertId\":\"…\",\"patientId\":\"…\"}");
        }

        return DispatchAsync(request.AlertId, request.PatientId, cancellationToken);
    }

    public async Task<DispatchOutcome> DispatchAsync(string alertId, string? patientId, CancellationToken cancellationToken)
    {
        int sent = 0, done = 0, elsewhere = 0, failed = 0;
        var pendingKeys = (await LoadAsync(alertId, patientId, cancellationToken).ConfigureAwait(false))?.Deliveries.Keys.ToList();
        if (pendingKeys is null)
        {
            Log.AlertMissing(logger, alertId);
            return new DispatchOutcome(alertId, 0, 0, 0, 0);
        }

        Exception? firstFailure = null;
        foreach (var key in pendingKeys)
        {
            var result = await DeliverOneAsync(alertId, patientId, key, cancellationToken).ConfigureAwait(false);
            switch (result.Outcome)
            {
                case DeliverResult.Sent: sent++; break;
                case DeliverResult.AlreadyDone: done++; break;
                case DeliverResult.Elsewhere: elsewhere++; break;
                default:
                    failed++;
                    firstFailure ??= result.Error;
                    break;
            }
        }

        if (firstFailure is not null && failed > 0)
        {
            throw new TransientPipelineException($"{failed} delivery(ies) of alert {alertId} failed; the message will be retried", firstFailure);
        }

        return new DispatchOutcome(alertId, sent, done, elsewhere, failed);
    }

    private enum DeliverResult
    {
        Sent,
        AlreadyDone,
        Elsewhere,
        Retry,
    }

    private async Task<(DeliverResult Outcome, Exception? Error)> DeliverOneAsync(string alertId, string? patientId, string key, CancellationToken ct)
    {
        while (true)
        {
            var row = await LoadAsync(alertId, patientId, ct).ConfigureAwait(false);
            if (row is null || !row.Deliveries.TryGetValue(key, out var delivery))
            {
                return (DeliverResult.AlreadyDone, null);
            }

            var now = time.GetUtcNow();
            if (delivery.State is DeliveryState.Sent or DeliveryState.Failed)
            {
                return (DeliverResult.AlreadyDone, null);
            }

            if (delivery.State == DeliveryState.Sending && delivery.ClaimedAt is { } claimed && now - claimed < _options.ClaimLease)
            {
                return (DeliverResult.Elsewhere, null);
            }

            if (!_publishers.TryGetValue(delivery.Channel, out var publisher))
            {
                return (DeliverResult.AlreadyDone, null); // a channel this host does not serve
            }

            var claim = delivery with { State = DeliveryState.Sending, ClaimedAt = now, Attempts = delivery.Attempts + 1 };
            if (!await alerts.TryUpdateAsync(row.Alert, With(row, claim), row.ETag, ct).ConfigureAwait(false))
            {
                continue; // someone changed the row: read again
            }

            string? providerId = null;
            Exception? error = null;
            try
            {
                providerId = await publisher.PublishAsync(row.Alert, delivery.Event, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                error = ex;
            }

            var final = error is null
                ? claim with { State = DeliveryState.Sent, SentAt = time.GetUtcNow(), ProviderMessageId = providerId, LastError = null }
                : claim with
                {
                    State = claim.Attempts >= _options.MaxAttempts ? DeliveryState.Failed : DeliveryState.Pending,
                    LastError = Truncate(error.Message),
                };
            await MarkAsync(alertId, patientId, final, ct).ConfigureAwait(false);
            if (error is null)
            {
                Log.DeliverySent(logger, alertId, delivery.Channel, delivery.Event);
                return (DeliverResult.Sent, null);
            }

            Log.DeliveryFailed(logger, error, alertId, delivery.Channel, claim.Attempts);
            return final.State == DeliveryState.Failed ? (DeliverResult.AlreadyDone, null) : (DeliverResult.Retry, error);
        }
    }

    /// <summary>Writes the outcome of our claim; retried on concurrent changes to other deliveries of the same row.</summary>
    private async Task MarkAsync(string alertId, string? patientId, Delivery final, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var row = await LoadAsync(alertId, patientId, ct).ConfigureAwait(false);
            if (row is null || await alerts.TryUpdateAsync(row.Alert, With(row, final), row.ETag, ct).ConfigureAwait(false))
            {
                return;
            }
        }

        throw new TransientPipelineException($"could not record the delivery state of alert {alertId} after 10 concurrent changes");
    }

    private static Dictionary<string, Delivery> With(StoredAlert row, Delivery delivery) =>
        new(row.Deliveries, StringComparer.Ordinal) { [delivery.Key] = delivery };

    private Task<StoredAlert?> LoadAsync(string alertId, string? patientId, CancellationToken ct) =>
        patientId is null ? alerts.FindAsync(alertId, ct) : alerts.GetAsync(patientId, alertId, ct);

    private static string Truncate(string message) => message.Length <= 500 ? message : message[..500];
}

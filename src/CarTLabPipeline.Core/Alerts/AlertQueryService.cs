using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Alerts;

/// <summary>What the HTTP API and <c>cartlab</c> ask of stored alerts: lists, and acknowledgement by a clinician.</summary>
public sealed class AlertQueryService(IAlertStore alerts, TimeProvider time)
{
    /// <summary>Every stored alert with <paramref name="status"/> (all when null), newest first.</summary>
    public async Task<IReadOnlyList<Alert>> ListAsync(AlertStatus? status, CancellationToken cancellationToken)
    {
        var list = new List<Alert>();
        await foreach (var row in alerts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (status is null || row.Alert.Status == status)
            {
                list.Add(row.Alert);
            }
        }

        return [.. list.OrderByDescending(a => a.CreatedAt).ThenBy(a => a.AlertId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Records who acknowledged the alert and when. Acknowledging again keeps the first acknowledgement.
    /// </summary>
    /// <returns>The alert, or null when there is no such alert.</returns>
    /// <exception cref="InvalidOperationException">The alert was retracted: there is nothing to acknowledge.</exception>
    public async Task<Alert?> AcknowledgeAsync(string alertId, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var row = await alerts.FindAsync(alertId, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            switch (row.Alert.Status)
            {
                case AlertStatus.Acknowledged:
                    return row.Alert;
                case AlertStatus.Retracted:
                    throw new InvalidOperationException($"alert {alertId} was retracted ({row.Alert.RetractionReason}); there is nothing to acknowledge");
            }

            var acknowledged = row.Alert with { Status = AlertStatus.Acknowledged, AcknowledgedBy = by.Trim(), AcknowledgedAt = time.GetUtcNow() };
            if (await alerts.TryUpdateAsync(acknowledged, row.Deliveries, row.ETag, cancellationToken).ConfigureAwait(false) is not null)
            {
                return acknowledged;
            }
        }

        throw new TransientPipelineException($"could not acknowledge alert {alertId} after 10 concurrent changes");
    }
}

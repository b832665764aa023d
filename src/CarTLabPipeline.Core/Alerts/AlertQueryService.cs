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

    /// <summary>How often an acknowledgement is tried against concurrent changes of the alert before it answers <see cref="AcknowledgeStatus.Conflict"/>.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Longest acknowledgement note kept.</summary>
    public const int MaxNoteLength = 1000;

    /// <summary>
    /// Records who acknowledged the alert, when, and their optional <paramref name="note"/>. Acknowledging again keeps the
    /// first acknowledgement. <paramref name="by"/> is the signed-in identity as the host established it.
    /// </summary>
    /// <returns>Acknowledged (with the alert), not found, retracted (with the alert), or conflict after <see cref="MaxAttempts"/> lost ETag races.</returns>
    public async Task<AcknowledgeOutcome> AcknowledgeAsync(string alertId, string by, CancellationToken cancellationToken, string? note = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note?.Length > MaxNoteLength)
        {
            throw new ArgumentException($"the note has {note.Length} characters; at most {MaxNoteLength} are kept", nameof(note));
        }

        Alert? latest = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var row = await alerts.FindAsync(alertId, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return new AcknowledgeOutcome(AcknowledgeStatus.NotFound, alertId, null);
            }

            switch (row.Alert.Status)
            {
                case AlertStatus.Acknowledged:
                    return new AcknowledgeOutcome(AcknowledgeStatus.Acknowledged, alertId, row.Alert);
                case AlertStatus.Retracted:
                    return new AcknowledgeOutcome(AcknowledgeStatus.Retracted, alertId, row.Alert);
            }

            var acknowledged = row.Alert with { Status = AlertStatus.Acknowledged, AcknowledgedBy = by.Trim(), AcknowledgedAt = time.GetUtcNow(), AcknowledgementNote = note };
            if (await alerts.TryUpdateAsync(acknowledged, row.Deliveries, row.ETag, cancellationToken).ConfigureAwait(false) is not null)
            {
                return new AcknowledgeOutcome(AcknowledgeStatus.Acknowledged, alertId, acknowledged);
            }

            latest = row.Alert;
        }

        return new AcknowledgeOutcome(AcknowledgeStatus.Conflict, alertId, latest);
    }
}

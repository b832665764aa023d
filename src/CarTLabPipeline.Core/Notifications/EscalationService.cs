using CarTLabPipeline.Alerts;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// Escalates critical alerts nobody acknowledged: once the current revision has been open for <c>Escalation__After</c>,
/// and then every <c>Escalation__Repeat</c>, the alert is sent again to <c>Email__OnCall</c>. Each escalation is recorded
/// on the alert together with its notices in one ETag-checked write (a concurrent pass loses the race and sees it done),
/// and the notices go through the outbox with ids of their own (<c>email|escalated.{n}|{address}</c>), so each is sent
/// exactly once. A pure function of the stored alerts and the clock: run it as often as you like (both hosts: every minute).
/// </summary>
public sealed partial class EscalationService(
    IAlertStore alerts,
    AlertOutbox outbox,
    IEnumerable<IAlertPublisher> publishers,
    IOptions<EscalationOptions> options,
    IOptions<EmailOptions> email,
    TimeProvider time,
    ILogger<EscalationService> logger)
{
    private readonly IReadOnlyList<string> _channels = publishers.Where(p => p.AddressesRecipients).Select(p => p.Channel).ToList();

    /// <summary>When <paramref name="alert"/> is next due for escalation, or null when it never is (not an open critical care-team alert).</summary>
    public static DateTimeOffset? NextDue(Alert alert, EscalationOptions options)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled || alert.Status != AlertStatus.Open || alert.Severity != AlertSeverity.Critical || alert.Audience != AlertAudience.CareTeam)
        {
            return null;
        }

        var since = alert.Revision > 1 && alert.UpdatedAt is { } updated ? updated : alert.CreatedAt;
        var done = alert.Escalations.Count(e => e.Revision == alert.Revision);
        return since + options.After + (options.Repeat * done);
    }

    /// <summary>Escalates every alert that is due now; returns how many escalations were recorded.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var due = new List<StoredAlert>();
        await foreach (var row in alerts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (NextDue(row.Alert, o) is { } at && at <= now)
            {
                due.Add(row);
            }
        }

        var onCall = email.Value.OnCallAddresses.Where(EmailAddresses.IsValid).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (due.Count > 0 && (onCall.Count == 0 || _channels.Count == 0))
        {
            LogNobodyToEscalateTo(logger, due.Count);
            return 0;
        }

        var escalated = 0;
        foreach (var row in due)
        {
            if (await TryEscalateAsync(row, onCall, cancellationToken).ConfigureAwait(false))
            {
                escalated++;
            }
        }

        return escalated;
    }

    private async Task<bool> TryEscalateAsync(StoredAlert row, IReadOnlyList<string> onCall, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var now = time.GetUtcNow();
            if (NextDue(row.Alert, options.Value) is not { } due || due > now)
            {
                return false; // acknowledged, retracted or escalated by another pass meanwhile
            }

            var number = row.Alert.Escalations.Count + 1;
            var escalation = new AlertEscalation(number, now, row.Alert.Revision, onCall);
            var deliveries = new Dictionary<string, Delivery>(row.Deliveries, StringComparer.Ordinal);
            foreach (var channel in _channels)
            {
                foreach (var address in onCall)
                {
                    var notice = new Delivery
                    {
                        Channel = channel,
                        Event = AlertEvents.Escalated,
                        Revision = row.Alert.Revision,
                        Escalation = number,
                        Recipient = address,
                    };
                    deliveries.TryAdd(notice.Key, notice);
                }
            }

            var escalatedAlert = row.Alert with { Escalations = [.. row.Alert.Escalations, escalation] };
            if (await alerts.TryUpdateAsync(escalatedAlert, deliveries, row.ETag, ct).ConfigureAwait(false) is not null)
            {
                await outbox.NotifyAsync(escalatedAlert, ct).ConfigureAwait(false);
                LogEscalated(logger, row.Alert.AlertId, number, onCall.Count);
                return true;
            }

            if (await alerts.GetAsync(row.Alert.PatientId, row.Alert.AlertId, ct).ConfigureAwait(false) is not { } fresh)
            {
                return false;
            }

            row = fresh;
        }

        throw TransientPipelineException.Contended($"the escalation of alert {row.Alert.AlertId}", 10);
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Alert {AlertId}: not acknowledged, escalation {Number} to {Recipients} on-call address(es)")]
    private static partial void LogEscalated(ILogger logger, string alertId, int number, int recipients);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Error,
        Message = "{Alerts} critical alert(s) are due for escalation but there is nobody to send them to: set Email__OnCall and an email provider (Email__Provider)")]
    private static partial void LogNobodyToEscalateTo(ILogger logger, int alerts);
}

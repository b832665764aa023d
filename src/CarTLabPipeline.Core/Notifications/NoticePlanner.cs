using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// Decides which notices an alert needs so that every recipient is told the alert's current state exactly once:
/// a pure function of the deliveries already on the alert row and the alert as it now stands.
/// </summary>
/// <remarks>
/// Per channel and recipient, what they were told is the latest notice sent (or being sent). The current state is the
/// alert's status and revision. Told nothing and the alert is open: <c>raised</c>. Told an earlier revision of an open
/// alert, or told of its retraction and it holds again: <c>updated</c>. Told the alert and it is now retracted:
/// <c>retracted</c>. Told nothing and it is retracted: nothing (a retraction of an alert nobody heard of would only
/// alarm). A notice planned earlier and not yet sent is replaced (its attempts and back-off carried over), so at most
/// one notice per recipient waits at any time; a failed one of an earlier revision is marked superseded, so a later
/// <c>redeliver</c> cannot send stale news.
/// </remarks>
public static class NoticePlanner
{
    /// <summary>The deliveries the alert row should hold after this change of <paramref name="alert"/>.</summary>
    public static Dictionary<string, Delivery> Plan(IReadOnlyDictionary<string, Delivery> existing, Alert alert, IEnumerable<NoticeTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(targets);
        var plan = new Dictionary<string, Delivery>(existing, StringComparer.Ordinal);
        foreach (var target in targets.Distinct())
        {
            var mine = existing.Values.Where(d => d.Channel == target.Channel && SameRecipient(d.Recipient, target.Recipient)).ToList();
            var told = mine.Where(d => d.State is DeliveryState.Sent or DeliveryState.Sending)
                .OrderBy(d => d.Revision).ThenBy(d => d.SentAt ?? d.ClaimedAt).LastOrDefault();
            var needed = Needed(told, alert);
            Delivery? waiting = null;
            foreach (var d in mine.Where(d => d.State == DeliveryState.Pending))
            {
                plan.Remove(d.Key);
                waiting ??= d;
            }

            foreach (var d in mine.Where(d => d.State == DeliveryState.Failed && d.Revision < alert.Revision))
            {
                plan[d.Key] = d with { State = DeliveryState.Superseded };
            }

            if (needed is null)
            {
                continue;
            }

            var notice = new Delivery
            {
                Channel = target.Channel,
                Recipient = target.Recipient,
                Event = needed,
                Revision = alert.Revision,
                Attempts = waiting?.Attempts ?? 0,
                LastError = waiting?.LastError,
                NotBefore = waiting?.NotBefore,
            };
            if (existing.TryGetValue(notice.Key, out var same) && same.State != DeliveryState.Pending)
            {
                plan[same.Key] = same; // this very notice was already sent, claimed or failed: never twice
                continue;
            }

            plan[notice.Key] = notice;
        }

        return plan;
    }

    /// <summary>True when some delivery still has to be sent.</summary>
    public static bool HasWork(IReadOnlyDictionary<string, Delivery> deliveries)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        return deliveries.Values.Any(d => !d.IsSettled);
    }

    private static string? Needed(Delivery? told, Alert alert)
    {
        var open = alert.Status != AlertStatus.Retracted;
        if (told is null)
        {
            return open ? AlertEvents.Raised : null;
        }

        if (!open)
        {
            return told.Event == AlertEvents.Retracted ? null : AlertEvents.Retracted;
        }

        return told.Event != AlertEvents.Retracted && told.Revision == alert.Revision ? null : AlertEvents.Updated;
    }

    private static bool SameRecipient(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Operations;

/// <summary>Per channel: how the deliveries of a set of alerts stand (the alert rows are the ledger). Read only.</summary>
public sealed class DeliverySummaryService(IAlertStore alerts)
{
    /// <summary>The channels of the alerts <paramref name="include"/> accepts (all when null), in channel order; empty when none has a delivery.</summary>
    public async Task<IReadOnlyList<ChannelDeliverySummary>> SummarizeAsync(Func<Alert, bool>? include, CancellationToken cancellationToken)
    {
        var deliveries = new List<Delivery>();
        var alertCount = 0;
        await foreach (var row in alerts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (include is null || include(row.Alert))
            {
                alertCount++;
                deliveries.AddRange(row.Deliveries.Values);
            }
        }

        return [.. deliveries.GroupBy(d => d.Channel).OrderBy(g => g.Key, StringComparer.Ordinal).Select(channel => new ChannelDeliverySummary(
            channel.Key,
            alertCount,
            Sent: channel.Count(d => d.State == DeliveryState.Sent),
            Waiting: channel.Count(d => d.State is DeliveryState.Pending or DeliveryState.Sending),
            Failed: channel.Count(d => d.State == DeliveryState.Failed),
            Recipients: channel.Select(d => d.Recipient).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Count(),
            UpdateNotices: channel.Count(d => d.Event == AlertEvents.Updated && d.State != DeliveryState.Superseded),
            RetractionNotices: channel.Count(d => d.Event == AlertEvents.Retracted && d.State != DeliveryState.Superseded))
        {
            // The newest error of a delivery still waiting (what the transport says now), else of a failed one.
            LastError = channel.Where(d => d.LastError is not null && d.State is DeliveryState.Pending or DeliveryState.Sending or DeliveryState.Failed)
                .OrderBy(d => d.State == DeliveryState.Failed).ThenByDescending(d => d.ClaimedAt)
                .Select(d => d.LastError).FirstOrDefault(),
        })];
    }

    /// <summary>
    /// Deliveries that failed for good in an attempt made at or after <paramref name="since"/> (a command's run), with the
    /// alerts they belong to and the newest error; what a command says before it ends.
    /// </summary>
    public async Task<(int Deliveries, int Alerts, string? LastError)> FailedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        int deliveries = 0, alertCount = 0;
        Delivery? newest = null;
        await foreach (var row in alerts.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var failed = row.Deliveries.Values.Where(d => d.State == DeliveryState.Failed && d.ClaimedAt >= since).ToList();
            deliveries += failed.Count;
            alertCount += failed.Count > 0 ? 1 : 0;
            newest = failed.Append(newest).OfType<Delivery>().MaxBy(d => d.ClaimedAt);
        }

        return (deliveries, alertCount, newest?.LastError);
    }
}

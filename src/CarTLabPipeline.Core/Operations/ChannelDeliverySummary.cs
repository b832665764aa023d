namespace CarTLabPipeline.Operations;

/// <summary>One channel's deliveries over a set of alerts (<see cref="DeliverySummaryService"/>).</summary>
/// <param name="Channel">The channel (<c>email</c>, <c>lab-alerts</c>…).</param>
/// <param name="Alerts">How many alerts were summarised (the same for every channel of one summary).</param>
/// <param name="Sent">Deliveries sent.</param>
/// <param name="Waiting">Deliveries pending or being sent.</param>
/// <param name="Failed">Deliveries that failed for good.</param>
/// <param name="Recipients">Distinct recipients (0 for channels without recipients).</param>
/// <param name="UpdateNotices">Update notices, superseded ones aside.</param>
/// <param name="RetractionNotices">Retraction notices, superseded ones aside.</param>
public sealed record ChannelDeliverySummary(string Channel, int Alerts, int Sent, int Waiting, int Failed, int Recipients, int UpdateNotices, int RetractionNotices)
{
    /// <summary>The newest error recorded on a waiting delivery (what the relay or provider says now), else on a failed one; null when none.</summary>
    public string? LastError { get; init; }
}

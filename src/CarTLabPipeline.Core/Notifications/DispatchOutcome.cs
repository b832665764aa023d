namespace CarTLabPipeline.Notifications;

/// <summary>Outcome of one dispatch: deliveries sent now, already done, held by another dispatcher, waiting to retry, failed now.</summary>
public sealed record DispatchOutcome(string AlertId, int Sent, int AlreadyDone, int InProgressElsewhere, int Deferred, int Failed)
{
    /// <summary>When the deferred deliveries are next due (the retry message is queued for then).</summary>
    public DateTimeOffset? RetryAt { get; init; }
}

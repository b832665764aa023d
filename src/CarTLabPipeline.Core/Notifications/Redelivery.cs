namespace CarTLabPipeline.Notifications;

/// <summary>What <see cref="AlertDispatchService.RedeliverAsync"/> did.</summary>
/// <param name="Found">Whether the alert exists.</param>
/// <param name="Queued">Failed deliveries put back to pending and queued.</param>
/// <param name="PoisonCleared">The alert's messages deleted from <c>alert-notifications-poison</c>.</param>
public sealed record Redelivery(bool Found, int Queued, int PoisonCleared);

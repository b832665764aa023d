namespace CarTLabPipeline.Operations;

/// <summary>An alert with deliveries that failed for good or still wait.</summary>
public sealed record DeliveryProblem(string AlertId, string RuleId, int Failed, int Waiting, DateTimeOffset? OldestWaitingSince, string? LastError);

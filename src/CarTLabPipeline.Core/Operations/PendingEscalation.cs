namespace CarTLabPipeline.Operations;

/// <summary>An open critical alert nobody acknowledged, with when it is next escalated to the on-call list.</summary>
public sealed record PendingEscalation(string AlertId, string RuleId, DateTimeOffset DueAt, int EscalationsSoFar);

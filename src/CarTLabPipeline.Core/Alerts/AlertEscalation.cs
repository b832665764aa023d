namespace CarTLabPipeline.Alerts;

/// <summary>One escalation of an unacknowledged critical alert: its number (1, 2, …), when, of which revision, to whom.</summary>
/// <param name="Number">1 for the first escalation of the alert, counting across revisions; part of each notice's id.</param>
/// <param name="At">When the escalation was recorded (the notices follow through the outbox).</param>
/// <param name="Revision">The alert revision that was left unacknowledged.</param>
/// <param name="To">The on-call addresses it went to.</param>
public sealed record AlertEscalation(int Number, DateTimeOffset At, int Revision, IReadOnlyList<string> To);

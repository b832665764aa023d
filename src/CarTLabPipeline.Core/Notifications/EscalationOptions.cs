using CarTLabPipeline.Composition;

namespace CarTLabPipeline.Notifications;

/// <summary>The <c>Escalation</c> settings section: when an unacknowledged critical alert goes again to on-call.</summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Escalation";

    /// <summary>Default wait for an acknowledgement before the first escalation: 2 hours.</summary>
    public static readonly TimeSpan DefaultAfter = TimeSpan.FromHours(2);

    /// <summary>Default wait between two escalations of the same revision: 1 hour.</summary>
    public static readonly TimeSpan DefaultRepeat = TimeSpan.FromHours(1);

    /// <summary>False: critical alerts are never escalated. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a critical alert (its current revision) may stay open before it is sent to <c>Email__OnCall</c>.</summary>
    [TimeSpanRange("00:00:01", "7.00:00:00")]
    public TimeSpan After { get; set; } = DefaultAfter;

    /// <summary>After the first escalation, how often it is repeated until someone acknowledges.</summary>
    [TimeSpanRange("00:00:01", "7.00:00:00")]
    public TimeSpan Repeat { get; set; } = DefaultRepeat;
}

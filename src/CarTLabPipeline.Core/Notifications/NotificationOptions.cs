using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Notifications;

/// <summary>Settings of the <c>Notifications</c> section (dispatcher behaviour).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How long a dispatcher's claim on a delivery holds before another may take it over. Default 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts per delivery before it is marked failed. Default 5.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 5;
}

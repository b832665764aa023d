using CarTLabPipeline.Composition;
using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Notifications;

/// <summary>Settings of the <c>Notifications</c> section (dispatcher behaviour).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>
    /// How long a dispatcher's claim on a delivery holds before another may take it over (its holder is presumed dead).
    /// Default 45 seconds: longer than a send may take (SMTP and SendGrid time out after 30 s), short enough that work a
    /// crashed host had claimed resumes within a minute. Keep it above the transports' timeouts.
    /// </summary>
    [TimeSpanRange("00:00:05", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Attempts per delivery before it is marked failed, poisoned and reported to ops. Default 5.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; doubled for each further attempt. Default 30 seconds.</summary>
    [TimeSpanRange("00:00:00.100", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest back-off between attempts (a provider's longer Retry-After is still honoured). Default 15 minutes.</summary>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based), at least <paramref name="retryAfter"/>.</summary>
    public TimeSpan BackOff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = RetryDelay * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        var delay = exponential < MaxRetryDelay ? exponential : MaxRetryDelay;
        var provider = retryAfter is { } r && r < TimeSpan.FromDays(1) ? r : TimeSpan.Zero;
        return provider > delay ? provider : delay;
    }
}

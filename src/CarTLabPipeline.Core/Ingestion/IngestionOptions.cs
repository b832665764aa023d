using System.ComponentModel.DataAnnotations;

namespace CarTLabPipeline.Ingestion;

/// <summary>Settings of the <c>Ingestion</c> section.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Default for <see cref="DefaultTimeZone"/>.</summary>
    public const string DefaultDefaultTimeZone = "UTC";

    /// <summary>Default for <see cref="MaxErrorsReported"/>.</summary>
    public const int DefaultMaxErrorsReported = 1000;

    /// <summary>
    /// IANA zone in which a collection time without a UTC offset is read (the lab's local time). Default <c>UTC</c>.
    /// </summary>
    [Required]
    public string DefaultTimeZone { get; set; } = DefaultDefaultTimeZone;

    /// <summary>How many row errors a rejection report lists (all are counted). Default 1,000.</summary>
    [Range(1, 100_000)]
    public int MaxErrorsReported { get; set; } = DefaultMaxErrorsReported;

    /// <summary>How far in the future a collection time may lie (clock skew) before the row is rejected. Default 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromDays(1);
}

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

    /// <summary>The key of <see cref="LocalCodes"/> that applies to every lab.</summary>
    public const string DefaultLabKey = "default";

    /// <summary>
    /// Local (non-LOINC) result codes per lab → analyte keyword: <c>Ingestion__LocalCodes__{lab}__{code}=mrd</c>, where
    /// <c>{lab}</c> is the drop-zone folder (<c>lab-results/{lab}/…</c>), the HL7 sending facility (MSH-4), or
    /// <c>default</c> for every lab. LOINC codes need no entry.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> LocalCodes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Default for <see cref="ProcessingLease"/>.</summary>
    public static readonly TimeSpan DefaultProcessingLease = TimeSpan.FromMinutes(10);

    /// <summary>Default for <see cref="MaxAttempts"/>.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>
    /// How long a file's claim by one attempt keeps other attempts off (<c>Ingestion__ProcessingLease</c>): a claim younger
    /// than this is in progress elsewhere and is not resumed; an older one belongs to an attempt that died or failed and is
    /// resumed. Must exceed the longest ingestion of a file. Default 10 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ProcessingLease { get; set; } = DefaultProcessingLease;

    /// <summary>
    /// Attempts at a file before it is given up and completed as rejected, with the last error in its report in
    /// <c>lab-results-rejected</c> (<c>Ingestion__MaxAttempts</c>). Default 3.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>How far in the future a collection time may lie (clock skew) before the row is rejected. Default 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromDays(1);
}

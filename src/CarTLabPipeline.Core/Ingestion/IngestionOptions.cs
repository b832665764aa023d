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

    /// <summary>How far in the future a collection time may lie (clock skew) before the row is rejected. Default 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromDays(1);
}

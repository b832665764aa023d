using CarTLabPipeline.Composition;
using System.Collections.Concurrent;
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
    /// Former spelling of <see cref="LabConventions.LocalCodes"/>, kept as an alias: <c>Ingestion__LocalCodes__{lab}__{code}=mrd</c>
    /// means the same as <c>Ingestion__Labs__{lab}__LocalCodes__{code}=mrd</c> (the <c>Labs</c> entry wins when both map a code).
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> LocalCodes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Each lab's conventions (<c>Ingestion__Labs__{lab}__TimeZone</c>, <c>__DateOrder</c>, <c>__DecimalSeparator</c>,
    /// <c>__MrdUnit</c>, <c>__PatientIdSystems__{n}</c>, <c>__LocalCodes__{code}</c>), where <c>{lab}</c> is the drop-zone
    /// folder (<c>lab-results/{lab}/…</c>), the HL7 sending facility (MSH-4), or <c>default</c> for every lab. A setting a
    /// lab leaves out is taken from <c>default</c>, else the safe default (ISO dates only, <c>.</c> decimals, no guess).
    /// </summary>
    public Dictionary<string, LabConventions> Labs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<(string?, string?), ResolvedLabConventions> _resolved = new();

    /// <summary>
    /// The conventions that apply to a result of drop-zone folder <paramref name="folder"/> and sending facility
    /// <paramref name="facility"/>: each setting from the folder's entry, else the facility's, else <c>default</c>.
    /// </summary>
    public ResolvedLabConventions ConventionsFor(string? folder, string? facility) =>
        _resolved.GetOrAdd((folder, facility), static (key, o) => o.Resolve(key.Item1, key.Item2), this);

    private ResolvedLabConventions Resolve(string? folder, string? facility)
    {
        var keys = new[] { folder, facility, DefaultLabKey }.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var entries = keys.Select(k => Labs.GetValueOrDefault(k)).OfType<LabConventions>().ToList();
        T? First<T>(Func<LabConventions, T?> pick) where T : class => entries.Select(pick).FirstOrDefault(v => v is not null);

        var codes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            // Per key: the Labs entry first, then the former LocalCodes alias; earlier keys (more specific) win.
            foreach (var map in new[] { Labs.GetValueOrDefault(key)?.LocalCodes, LocalCodes.GetValueOrDefault(key) })
            {
                foreach (var (code, keyword) in map ?? [])
                {
                    codes.TryAdd(code, keyword);
                }
            }
        }

        var zone = First(e => e.TimeZone) ?? DefaultTimeZone;
        return new ResolvedLabConventions
        {
            Lab = folder ?? facility ?? DefaultLabKey,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone),
            DateOrder = entries.Select(e => e.DateOrder).FirstOrDefault(d => d is not null) ?? LabDateOrder.Iso,
            DecimalSeparator = First(e => e.DecimalSeparator)?.Trim() is { Length: 1 } sep ? sep[0] : null,
            MrdUnit = First(e => e.MrdUnit),
            PatientIdSystems = [.. entries.SelectMany(e => e.PatientIdSystems)],
            LocalCodes = codes,
        };
    }

    /// <summary>Default for <see cref="ProcessingLease"/>.</summary>
    public static readonly TimeSpan DefaultProcessingLease = TimeSpan.FromSeconds(30);

    /// <summary>Default for <see cref="MaxAttempts"/>.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>
    /// How long a file's claim by one attempt keeps other attempts off (<c>Ingestion__ProcessingLease</c>): a claim renewed
    /// less than this ago is in progress elsewhere and is not resumed; an older one belongs to an attempt that died or failed
    /// and is resumed. The attempt renews its claim every third of the lease while it works, so the lease bounds how long a
    /// crashed host's file waits, not how long a file may take. Default 30 seconds.
    /// </summary>
    [TimeSpanRange("00:00:03", "1.00:00:00")]
    public TimeSpan ProcessingLease { get; set; } = DefaultProcessingLease;

    /// <summary>
    /// Attempts at a file before it is given up and completed as rejected, with the last error in its report in
    /// <c>lab-results-rejected</c> (<c>Ingestion__MaxAttempts</c>). Default 3.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>
    /// The <c>ingest.rejected</c> ops alert raised once per file with rejected rows or rejected as a whole
    /// (<c>Ingestion__RejectedAlert__Enabled</c>, <c>__Severity</c>). Default: on, warning.
    /// </summary>
    public RejectedFileAlertOptions RejectedAlert { get; set; } = new();

    /// <summary>How far in the future a collection time may lie (clock skew) before the row is rejected. Default 1 day.</summary>
    [TimeSpanRange("00:00:00", "7.00:00:00")]
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromDays(1);
}

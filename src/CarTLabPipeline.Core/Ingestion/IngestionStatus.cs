using System.Text.Json.Serialization;

namespace CarTLabPipeline.Ingestion;

/// <summary>What happened to a file: the ledger row, the <c>&lt;name&gt;.errors.json</c> report, the CLI's summary.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IngestionStatus>))]
public enum IngestionStatus
{
    /// <summary>
    /// Claimed, not finished. Returned by an ingestion that found another attempt's claim younger than the processing lease:
    /// the file is in progress elsewhere (or that attempt died: a later try resumes it once the lease is over).
    /// </summary>
    [JsonStringEnumMemberName("processing")]
    Processing,
    /// <summary>Every row stored (or skipped as not ours).</summary>
    [JsonStringEnumMemberName("processed")]
    Processed,
    /// <summary>Valid rows stored, some rows rejected.</summary>
    [JsonStringEnumMemberName("partial")]
    Partial,
    /// <summary>
    /// The file as a whole could not be read and nothing was stored; or every attempt to process it failed (see
    /// <see cref="IngestionReport.LastError"/>).
    /// </summary>
    [JsonStringEnumMemberName("rejected")]
    Rejected,
    /// <summary>The same content was already processed (under this or another name).</summary>
    [JsonStringEnumMemberName("duplicate")]
    Duplicate,
}

using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.Operations;

/// <summary>A file with rejected rows, or rejected whole, and the counts (no values).</summary>
public sealed record RejectedFileStatus(string File, DateTimeOffset ReceivedAt, IngestionStatus Status, int Stored, int Rejected);


namespace CarTLabPipeline.Ingestion;

/// <summary>What became of one <c>lab-results-inbound</c> message.</summary>
public sealed record InboundOutcome(bool Stored, string? ResultId, IngestionError? Error);

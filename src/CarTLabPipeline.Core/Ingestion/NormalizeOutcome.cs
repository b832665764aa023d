using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Outcome of normalising one raw result: the result (possibly with a <paramref name="Warning"/>: kept, but something of it
/// could not be read, e.g. an MRD sensitivity), or the error that rejected it.
/// </summary>
public readonly record struct NormalizeOutcome(LabResult? Result, IngestionError? Error, IngestionError? Warning = null);

using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// One item of a parsed lab file: a result ready to store (with a <paramref name="Warning"/> when part of it could not be
/// read), a row error, or a row that is not ours (skipped).
/// </summary>
public readonly record struct ParsedItem(LabResult? Result, IngestionError? Error, SkippedResult? Skipped, IngestionError? Warning = null);

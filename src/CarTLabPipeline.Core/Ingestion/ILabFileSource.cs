namespace CarTLabPipeline.Ingestion;

/// <summary>A lab file to ingest: a blob, or a local file in tests.</summary>
public interface ILabFileSource
{
    /// <summary>Name under the drop zone, e.g. <c>hospital-lab/2024-10-11.csv</c>.</summary>
    string Name { get; }

    /// <summary>Version tag of the content (blob ETag), when there is one.</summary>
    string? ETag { get; }

    /// <summary>Opens the content for reading. May be called more than once.</summary>
    Task<Stream> OpenReadAsync(CancellationToken cancellationToken);
}

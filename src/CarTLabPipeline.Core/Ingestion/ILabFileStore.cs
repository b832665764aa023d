namespace CarTLabPipeline.Ingestion;

/// <summary>The drop zone and the rejected-files container.</summary>
public interface ILabFileStore
{
    /// <summary>Every blob in the drop zone with its ETag.</summary>
    IAsyncEnumerable<ILabFileSource> ListAsync(CancellationToken cancellationToken);

    /// <summary>Uploads (or overwrites) a file into the drop zone and returns it as a source.</summary>
    Task<ILabFileSource> UploadAsync(string name, Stream content, CancellationToken cancellationToken);

    /// <summary>A file already in the drop zone, or null.</summary>
    Task<ILabFileSource?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Copies the original into the rejected container and writes <c>&lt;name&gt;.errors.json</c> beside it.</summary>
    Task SaveRejectionAsync(ILabFileSource source, IngestionReport report, CancellationToken cancellationToken);

    /// <summary>The rejection reports in the rejected container.</summary>
    IAsyncEnumerable<IngestionReport> ListRejectionsAsync(CancellationToken cancellationToken);
}

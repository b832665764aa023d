
namespace CarTLabPipeline.Ingestion;

/// <summary>A reader of one lab file format. Readers stream: they never hold the whole file.</summary>
public interface ILabFileReader
{
    LabFileFormat Format { get; }

    /// <summary>
    /// Reads <paramref name="content"/>, yielding results and row-level errors as they come.
    /// </summary>
    /// <exception cref="LabFileFormatException">The file as a whole is not of this format (e.g. no usable header).</exception>
    IEnumerable<ReadItem> Read(Stream content, string fileName, CancellationToken cancellationToken);
}

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// The file as a whole cannot be read in the detected format (not a partial, row-level problem): permanent, the ingestion
/// rejects the file with <see cref="Error"/> as its reason.
/// </summary>
public sealed class LabFileFormatException : PermanentPipelineException
{
    public LabFileFormatException(string fileName, IngestionError error)
        : base($"{fileName}: {error}")
    {
        FileName = fileName;
        Error = error;
    }

    public LabFileFormatException()
        : this("(unknown)", new IngestionError(null, null, null, "unreadable lab file"))
    {
    }

    public LabFileFormatException(string message)
        : this("(unknown)", new IngestionError(null, null, null, message))
    {
    }

    public LabFileFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "(unknown)";
        Error = new IngestionError(null, null, null, message);
    }

    public string FileName { get; } = "(unknown)";

    public IngestionError Error { get; }
}

namespace CarTLabPipeline;

/// <summary>
/// A failure that the same input gives every time (a malformed queue message, an unreadable file, an invalid enrollment):
/// retrying cannot help. A queue-triggered host moves the message to its <c>-poison</c> queue at once with
/// <see cref="Exception.Message"/> as the reason; the HTTP API answers 400; <c>cartlab</c> prints the reason.
/// </summary>
public class PermanentPipelineException : Exception
{
    public PermanentPipelineException()
        : base("the input can never be processed")
    {
    }

    public PermanentPipelineException(string message)
        : base(message)
    {
    }

    public PermanentPipelineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

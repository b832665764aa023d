namespace CarTLabPipeline.Domain;

/// <summary>Parsing of the status words labs write.</summary>
public static class ResultStatusParser
{
    /// <summary>
    /// Parses a CSV/queue status (empty = final). Accepts the FHIR codes and the HL7 single letters.
    /// </summary>
    public static bool TryParse(string? text, out ResultStatus status)
    {
        status = ResultStatus.Final;
        var t = text?.Trim().ToLowerInvariant() ?? string.Empty;
        switch (t)
        {
            case "" or "f" or "final":
                return true;
            case "p" or "prelim" or "preliminary" or "registered":
                status = ResultStatus.Preliminary;
                return true;
            case "c" or "a" or "corrected" or "amended":
                status = ResultStatus.Corrected;
                return true;
            case "x" or "d" or "w" or "cancelled" or "canceled" or "entered-in-error" or "deleted" or "withdrawn":
                status = ResultStatus.Cancelled;
                return true;
            default:
                return false;
        }
    }
}

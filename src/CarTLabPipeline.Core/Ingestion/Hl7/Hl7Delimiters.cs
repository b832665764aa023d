
namespace CarTLabPipeline.Ingestion.Hl7;

/// <summary>The delimiters of an HL7 v2 message, read from MSH-1 and MSH-2.</summary>
public sealed record Hl7Delimiters(char Field, char Component, char Repetition, char Escape, char SubComponent)
{
    public static readonly Hl7Delimiters Default = new('|', '^', '~', '\\', '&');

    /// <summary>Reads the delimiters from an MSH segment's text; null when it is too short to hold them.</summary>
    public static Hl7Delimiters? FromMsh(string msh)
    {
        ArgumentNullException.ThrowIfNull(msh);
        if (msh.Length < 8 || !msh.StartsWith("MSH", StringComparison.Ordinal))
        {
            return null;
        }

        var field = msh[3];
        var encoding = msh[4..].Split(field, 2)[0];
        if (encoding.Length < 4)
        {
            return null;
        }

        return new Hl7Delimiters(field, encoding[0], encoding[1], encoding[2], encoding[3]);
    }
}

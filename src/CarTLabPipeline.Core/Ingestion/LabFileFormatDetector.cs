using System.Text;

namespace CarTLabPipeline.Ingestion;

/// <summary>Detects a file's format from its first bytes, not from its name (labs name files anything).</summary>
public static class LabFileFormatDetector
{
    /// <summary>How many bytes are looked at.</summary>
    public const int PrefixLength = 4096;

    /// <summary>Detects the format of a file from its first <see cref="PrefixLength"/> bytes.</summary>
    public static LabFileFormat Detect(ReadOnlySpan<byte> prefix)
    {
        var text = Encoding.UTF8.GetString(prefix).TrimStart('\uFEFF', ' ', '\t', '\r', '\n', '\v');
        if (text.StartsWith("MSH", StringComparison.Ordinal) || text.StartsWith("FHS", StringComparison.Ordinal) ||
            text.StartsWith("BHS", StringComparison.Ordinal))
        {
            return LabFileFormat.Hl7v2;
        }

        if (text.StartsWith('{') || text.StartsWith('['))
        {
            return LabFileFormat.FhirJson;
        }

        var firstLine = text.Split('\n', 2)[0];
        return firstLine.Contains("patient_id", StringComparison.OrdinalIgnoreCase) ? LabFileFormat.Csv : LabFileFormat.Unknown;
    }

    /// <summary>
    /// What an unrecognised file looks like, for the reason that rejects it: empty, UTF-16 text, a ZIP or gzip archive, or
    /// binary; null when it is text that is simply not a lab format.
    /// </summary>
    public static string? Describe(ReadOnlySpan<byte> prefix) => prefix switch
    {
        [] => "the file is empty (0 bytes)",
        [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] => "the file is UTF-16 text (byte order mark " + Convert.ToHexString(prefix[..2]) +
            "); lab files are read as UTF-8: export or save it as UTF-8",
        [0x50, 0x4B, 0x03, 0x04, ..] => "the file is a ZIP archive: unpack it and drop the lab files it holds",
        [0x1F, 0x8B, ..] => "the file is gzip-compressed: decompress it and drop the lab file",
        _ when prefix.Contains((byte)0) => "the file holds binary content (NUL bytes), not text",
        _ => null,
    };

    /// <summary>Reads the prefix of <paramref name="content"/> and returns the format and a stream that replays it.</summary>
    public static (LabFileFormat Format, Stream Content) Detect(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffer = new byte[PrefixLength];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = content.Read(buffer, read, buffer.Length - read)) > 0)
        {
            read += n;
        }

        return (Detect(buffer.AsSpan(0, read)), new PrefixedStream(buffer, read, content));
    }
}

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Why one row, segment or the whole file was not stored. <see cref="Line"/> is 1-based (CSV line, or the physical line
/// of an HL7 segment); <see cref="Segment"/> names the HL7 segment (e.g. <c>OBX[3]</c>) or JSON path when relevant.
/// </summary>
public sealed record IngestionError(int? Line, string? Segment, string? Field, string Reason)
{
    /// <summary>Longest piece of input quoted in a reason: a 40,000-character field must not make a 40,000-character report.</summary>
    public const int MaxQuoted = 60;

    /// <summary>Input text as quoted in a reason: cut to <see cref="MaxQuoted"/> characters, control characters shown as '?'.</summary>
    public static string Quote(string? text)
    {
        var t = text ?? string.Empty;
        var cut = t.Length > MaxQuoted ? t[..MaxQuoted] + $"… ({t.Length} characters)" : t;
        return string.Create(cut.Length, cut, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = char.IsControl(s[i]) ? '?' : s[i];
            }
        });
    }

    public override string ToString()
    {
        var where = string.Join(", ", new[]
        {
            Line is { } l ? $"line {l}" : null,
            Segment,
            Field is null ? null : $"field {Field}",
        }.Where(s => s is not null));
        return where.Length == 0 ? Reason : $"{where}: {Reason}";
    }
}

using System.Globalization;
using System.Text;

namespace CarTLabPipeline.Ingestion.Hl7;

/// <summary>
/// One segment: name, fields, repetitions, components and sub-components, with HL7 numbering (MSH-1 is the field
/// separator itself). Values are unescaped on access (<c>\F\ \S\ \T\ \R\ \E\ \Xhh\ \.br\</c>).
/// </summary>
public sealed class Hl7Segment
{
    private readonly string[] _fields;

    public Hl7Segment(string text, Hl7Delimiters delimiters, int line)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(delimiters);
        Delimiters = delimiters;
        Line = line;
        _fields = text.Split(delimiters.Field);
        Name = _fields[0].Trim();
    }

    public string Name { get; }

    public Hl7Delimiters Delimiters { get; }

    /// <summary>1-based physical line of the segment in the file.</summary>
    public int Line { get; }

    /// <summary>The raw (escaped) text of field <paramref name="field"/>, or empty.</summary>
    public string Raw(int field)
    {
        // For MSH, field 1 is the separator, so MSH-n sits at index n-1 of the split text.
        var index = Name == "MSH" ? field - 1 : field;
        if (Name == "MSH" && field == 1)
        {
            return Delimiters.Field.ToString();
        }

        return index >= 1 && index < _fields.Length ? _fields[index] : string.Empty;
    }

    /// <summary>The unescaped value at field / repetition / component / sub-component (all 1-based); empty when absent.</summary>
    public string Get(int field, int component = 1, int subComponent = 1, int repetition = 1)
    {
        var value = Raw(field);
        value = Nth(value, Delimiters.Repetition, repetition);
        value = Nth(value, Delimiters.Component, component);
        value = Nth(value, Delimiters.SubComponent, subComponent);
        return Unescape(value, Delimiters).Trim();
    }

    /// <summary>The repetitions of a field (raw), for fields such as PID-3.</summary>
    public IReadOnlyList<string> Repetitions(int field) => Raw(field).Split(Delimiters.Repetition);

    /// <summary>Component <paramref name="component"/> of a raw repetition, unescaped.</summary>
    public string Component(string rawRepetition, int component)
    {
        ArgumentNullException.ThrowIfNull(rawRepetition);
        return Unescape(Nth(Nth(rawRepetition, Delimiters.Component, component), Delimiters.SubComponent, 1), Delimiters).Trim();
    }

    private static string Nth(string value, char separator, int n)
    {
        if (n == 1 && value.IndexOf(separator, StringComparison.Ordinal) < 0)
        {
            return value;
        }

        var parts = value.Split(separator);
        return n >= 1 && n <= parts.Length ? parts[n - 1] : string.Empty;
    }

    /// <summary>Decodes the HL7 escape sequences of <paramref name="value"/>.</summary>
    public static string Unescape(string value, Hl7Delimiters delimiters)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(delimiters);
        var escape = delimiters.Escape;
        if (value.IndexOf(escape, StringComparison.Ordinal) < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var end = value[i] == escape ? value.IndexOf(escape, i + 1) : -1;
            if (end < 0)
            {
                sb.Append(value[i]);
                continue;
            }

            var code = value[(i + 1)..end];
            switch (code)
            {
                case "F": sb.Append(delimiters.Field); break;
                case "S": sb.Append(delimiters.Component); break;
                case "T": sb.Append(delimiters.SubComponent); break;
                case "R": sb.Append(delimiters.Repetition); break;
                case "E": sb.Append(delimiters.Escape); break;
                case ".br": sb.Append('\n'); break;
                default:
                    if (code.Length > 1 && code[0] == 'X' && code.Length % 2 == 1 && TryHex(code[1..], out var bytes))
                    {
                        sb.Append(Encoding.UTF8.GetString(bytes));
                    }
                    else
                    {
                        // Unknown or formatting sequences (\H\, \N\, \.sp\ …) carry no characters.
                    }

                    break;
            }

            i = end;
        }

        return sb.ToString();
    }

    private static bool TryHex(string hex, out byte[] bytes)
    {
        bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(hex.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        return true;
    }
}

using System.Text;

namespace CarTLabPipeline.Ingestion.Csv;

/// <summary>
/// A streaming RFC 4180 record reader: quoted fields (with separators, doubled quotes and line breaks inside), CR, LF or
/// CRLF line ends. It reads character by character from a <see cref="TextReader"/> and never holds more than one record.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char separator)
{
    /// <summary>A field longer than this is an error, not a reason to buffer an unbounded file in memory.</summary>
    public const int MaxFieldLength = 64 * 1024;

    private readonly StringBuilder _field = new();
    private int _line = 1;
    private int _pending = -2; // -2: nothing pushed back

    /// <summary>
    /// Reads the next record into <paramref name="fields"/>.
    /// </summary>
    /// <returns>False at the end of input. <paramref name="error"/> is set when the record is malformed.</returns>
    public bool TryReadRecord(List<string> fields, out int startLine, out string? error)
    {
        fields.Clear();
        _field.Clear();
        error = null;
        startLine = _line;

        var c = Next();
        if (c == -1)
        {
            return false;
        }

        var inQuotes = false;
        var fieldWasQuoted = false;
        while (true)
        {
            if (inQuotes)
            {
                if (c == -1)
                {
                    error = $"unterminated quoted field starting on line {startLine}";
                    fields.Add(_field.ToString());
                    return true;
                }

                if (c == '"')
                {
                    var peek = Next();
                    if (peek == '"')
                    {
                        Append('"', ref error);
                    }
                    else
                    {
                        inQuotes = false;
                        c = peek;
                        continue;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    Append((char)c, ref error);
                }
            }
            else if (c == separator)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                fieldWasQuoted = false;
            }
            else if (c is '\r' or '\n' or -1)
            {
                if (c == '\r')
                {
                    var peek = Next();
                    if (peek != '\n')
                    {
                        _pending = peek;
                    }
                }

                if (c != -1)
                {
                    _line++;
                }

                fields.Add(_field.ToString());
                return true;
            }
            else if (c == '"' && _field.Length == 0 && !fieldWasQuoted)
            {
                inQuotes = true;
                fieldWasQuoted = true;
            }
            else
            {
                Append((char)c, ref error);
            }

            c = Next();
        }
    }

    private void Append(char c, ref string? error)
    {
        if (_field.Length < MaxFieldLength)
        {
            _field.Append(c);
        }
        else
        {
            error ??= $"a field is longer than {MaxFieldLength} characters";
        }
    }

    private int Next()
    {
        if (_pending != -2)
        {
            var p = _pending;
            _pending = -2;
            return p;
        }

        return reader.Read();
    }
}

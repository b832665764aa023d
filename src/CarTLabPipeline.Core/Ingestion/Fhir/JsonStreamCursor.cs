using System.Text.Json;

namespace CarTLabPipeline.Ingestion.Fhir;

/// <summary>
/// Walks a JSON document over a stream with <see cref="Utf8JsonReader"/>, holding a buffer of the bytes not yet read:
/// the size of the largest single value taken whole (<see cref="ReadElement"/>), never the document. Syntax errors throw
/// <see cref="JsonException"/> with the line, as a reader over the whole document would.
/// </summary>
internal sealed class JsonStreamCursor(Stream stream, JsonReaderOptions options)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state = new(options);

    /// <summary>The token last read.</summary>
    public JsonTokenType TokenType { get; private set; } = JsonTokenType.None;

    /// <summary>The depth of the token last read (the root value is at 0).</summary>
    public int Depth { get; private set; }

    /// <summary>The token last read, when it is a property name or a string; otherwise null.</summary>
    public string? Text { get; private set; }

    /// <summary>Reads the next token; false at the end of the document.</summary>
    public bool Read()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            if (reader.Read())
            {
                TokenType = reader.TokenType;
                Depth = reader.CurrentDepth;
                Text = reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String ? reader.GetString() : null;
                Commit(ref reader);
                return true;
            }

            if (_final)
            {
                return false;
            }

            Fill();
        }
    }

    /// <summary>
    /// After a <see cref="JsonTokenType.StartObject"/> or <see cref="JsonTokenType.StartArray"/>: reads up to and with its
    /// end, token by token (the skipped value is never held whole). Does nothing after any other token.
    /// </summary>
    public void SkipChildren()
    {
        if (TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return;
        }

        var depth = Depth;
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            var read = false;
            while (reader.Read())
            {
                read = true;
                if (reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    TokenType = reader.TokenType;
                    Depth = depth;
                    Text = null;
                    Commit(ref reader);
                    return;
                }
            }

            if (read)
            {
                Commit(ref reader);
            }

            if (_final)
            {
                return;
            }

            Fill();
        }
    }

    /// <summary>
    /// Inside an array: reads the next element whole and returns its bytes (valid until the next call), or null when the
    /// array ends (its <see cref="JsonTokenType.EndArray"/> is read).
    /// </summary>
    public ReadOnlyMemory<byte>? ReadElement()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            if (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    TokenType = JsonTokenType.EndArray;
                    Depth = reader.CurrentDepth;
                    Text = null;
                    Commit(ref reader);
                    return null;
                }

                var begin = (int)reader.TokenStartIndex;
                var depth = reader.CurrentDepth;
                if (reader.TrySkip())
                {
                    var element = _buffer.AsMemory(_start + begin, (int)reader.BytesConsumed - begin);
                    TokenType = reader.TokenType;
                    Depth = depth;
                    Text = null;
                    Commit(ref reader);
                    return element;
                }
            }

            if (_final)
            {
                return null;
            }

            Fill();
        }
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>Moves the unread bytes to the front, grows the buffer when they fill it, and reads more.</summary>
    private void Fill()
    {
        var unread = _end - _start;
        if (unread == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
        }

        _start = 0;
        _end = unread;
        var n = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _final = true;
        }

        _end += n;
    }
}


namespace CarTLabPipeline.Ingestion;

/// <summary>
/// A lab file being parsed: its detected <see cref="Format"/> and its <see cref="Items"/>, read once, as they come.
/// </summary>
public sealed class ParsedLabFile : IDisposable, IAsyncDisposable
{
    private readonly Stream _content;
    private bool _read;

    internal ParsedLabFile(LabFileParser parser, string name, LabFileFormat format, DateTimeOffset receivedAt, Stream content,
        CancellationToken cancellationToken)
    {
        Name = name;
        Format = format;
        ReceivedAt = receivedAt;
        _content = content;
        Items = ReadOnce(parser.Read(content, name, format, receivedAt, cancellationToken));
    }

    /// <summary>The file's name in the drop zone.</summary>
    public string Name { get; }

    /// <summary>The format detected from the first bytes.</summary>
    public LabFileFormat Format { get; }

    /// <summary>The arrival time every result of the file carries (rows of one file tie on it; the line breaks the tie).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>
    /// The file's results, row errors and skipped rows in file order. May be enumerated once.
    /// </summary>
    /// <exception cref="LabFileFormatException">
    /// The file as a whole cannot be read (unknown or unaccepted format, no usable header…); items already yielded stand.
    /// </exception>
    public IEnumerable<ParsedItem> Items { get; }

    public void Dispose() => _content.Dispose();

    public ValueTask DisposeAsync() => _content.DisposeAsync();

    private IEnumerable<ParsedItem> ReadOnce(IEnumerable<ParsedItem> items)
    {
        if (_read)
        {
            throw new InvalidOperationException("a parsed lab file is read once");
        }

        _read = true;
        foreach (var item in items)
        {
            yield return item;
        }
    }
}

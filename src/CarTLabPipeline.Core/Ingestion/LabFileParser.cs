
namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Detects a lab file's format and reads it with the reader of that format, normalising every result: what ingestion
/// stores, what the duplicate check and <c>cartlab process</c> collect ids from, and what the reader tests run. One parse
/// per file; the file streams through (it is never held whole).
/// </summary>
public sealed class LabFileParser(IEnumerable<ILabFileReader> readers, ResultNormalizer normalizer, TimeProvider time)
{
    private readonly Dictionary<LabFileFormat, ILabFileReader> _readers = readers.ToDictionary(r => r.Format);

    /// <summary>Opens <paramref name="source"/> for parsing. Dispose the result to close the content.</summary>
    /// <param name="source">The file.</param>
    /// <param name="receivedAt">When the file arrived, given to every result of it (default: now).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<ParsedLabFile> OpenAsync(ILabFileSource source, DateTimeOffset? receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var content = await source.OpenReadAsync(cancellationToken).ConfigureAwait(false);
        return Open(content, source.Name, receivedAt, cancellationToken);
    }

    /// <summary>Parses <paramref name="content"/> (taken over: disposed with the result).</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="fileName">Its name in the drop zone (the results' source file).</param>
    /// <param name="receivedAt">When the file arrived, given to every result of it (default: now).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public ParsedLabFile Open(Stream content, string fileName, DateTimeOffset? receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        var (format, replay) = LabFileFormatDetector.Detect(content);
        return new ParsedLabFile(this, fileName, format, receivedAt ?? time.GetUtcNow(), replay, cancellationToken);
    }

    /// <summary>The ids of the results <paramref name="source"/> holds (rows that fail are left out; an unreadable file has none).</summary>
    /// <param name="source">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="patientIds">When given, the patients of those results are added to it.</param>
    public async Task<IReadOnlySet<string>> ResultIdsAsync(ILabFileSource source, CancellationToken cancellationToken, ISet<string>? patientIds = null)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var file = await OpenAsync(source, null, cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            try
            {
                foreach (var item in file.Items)
                {
                    if (item.Result is { } result)
                    {
                        ids.Add(result.ResultId);
                        patientIds?.Add(result.PatientId);
                    }
                }
            }
            catch (LabFileFormatException)
            {
                // The results read before the fault are the file's; the fault itself is reported by ingestion.
            }
        }

        return ids;
    }

    /// <summary>The reason a file of <paramref name="format"/> is not read at all, or null when a reader takes it.</summary>
    internal string? Unreadable(LabFileFormat format) =>
        _readers.ContainsKey(format) ? null
        : format == LabFileFormat.Unknown
            ? "not a recognised lab file: expected a CSV with a patient_id,collected_at,analyte,value,unit header, an HL7 v2 ORU^R01 message (MSH…) or FHIR R4 JSON"
            : $"{format} files are not accepted by this deployment yet";

    internal IEnumerable<ParsedItem> Read(Stream content, string fileName, LabFileFormat format, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (Unreadable(format) is { } reason)
        {
            var looks = content is PrefixedStream prefixed ? LabFileFormatDetector.Describe(prefixed.Prefix) : null;
            throw new LabFileFormatException(fileName, new IngestionError(1, null, null, looks is null ? reason : $"{reason}: {looks}"));
        }

        foreach (var item in _readers[format].Read(content, fileName, ct))
        {
            if (item.Error is { } error)
            {
                yield return new ParsedItem(null, error, null);
            }
            else if (item.Skipped is { } skipped)
            {
                yield return new ParsedItem(null, null, skipped);
            }
            else
            {
                var outcome = normalizer.Normalize(item.Result!, fileName, receivedAt);
                yield return new ParsedItem(outcome.Result, outcome.Error, null, outcome.Warning);
            }
        }
    }
}

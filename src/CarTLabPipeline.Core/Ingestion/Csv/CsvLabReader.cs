using System.Globalization;
using System.Text;

namespace CarTLabPipeline.Ingestion.Csv;

/// <summary>
/// Reads the lab CSV of docs/design.md §4: UTF-8 (BOM tolerated), header row, <c>,</c> or <c>;</c> separated,
/// <c>patient_id,collected_at,analyte,value,unit[,specimen,method,status,lab,accession,sensitivity]</c>.
/// Header names are case-insensitive; unknown columns are ignored; a row with a problem is reported by line number and
/// the other rows go on.
/// </summary>
public sealed class CsvLabReader : ILabFileReader
{
    /// <summary>Columns every file must have.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns = ["patient_id", "collected_at", "analyte", "value", "unit"];

    /// <summary>Columns a file may have.</summary>
    public static readonly IReadOnlyList<string> OptionalColumns = ["specimen", "method", "status", "lab", "accession", "sensitivity", "reported_at"];

    public LabFileFormat Format => LabFileFormat.Csv;

    public IEnumerable<ReadItem> Read(Stream content, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var text = new StreamReader(content, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var headerLine = text.ReadLine() ?? throw new LabFileFormatException(fileName, new IngestionError(1, null, null, "the file is empty"));
        var separator = DetectSeparator(headerLine)
            ?? throw new LabFileFormatException(fileName, new IngestionError(1, null, null,
                "not a lab CSV: the header row must name " + string.Join(", ", RequiredColumns) + " (separated by , or ;)"));

        var columns = ParseHeader(headerLine, separator, fileName);
        var records = new CsvRecordReader(text, separator);
        var fields = new List<string>(16);
        var lineOffset = 1; // the header was line 1
        while (records.TryReadRecord(fields, out var startLine, out var error))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = startLine + lineOffset;
            if (error is not null)
            {
                yield return ReadItem.Fail(new IngestionError(line, null, null, error));
                continue;
            }

            if (fields.Count == 1 && string.IsNullOrWhiteSpace(fields[0]))
            {
                continue; // blank line
            }

            yield return ToItem(fields, columns, line, separator);
        }
    }

    private static ReadItem ToItem(List<string> fields, Dictionary<string, int> columns, int line, char separator)
    {
        if (fields.Count > columns.Count && fields.Skip(columns.Count).Any(f => f.Trim().Length > 0))
        {
            // Which field holds the separator cannot be known (an unquoted decimal comma "2,8" shifts every field after it):
            // the row is rejected rather than read with its values in the wrong columns.
            return ReadItem.Fail(new IngestionError(line, null, null, string.Create(CultureInfo.InvariantCulture,
                $"the row has {fields.Count} fields, the header {columns.Count}: a value holding the separator '{separator}' must be quoted (e.g. \"2{separator}8\"); a lab writing decimal commas usually separates with ';'")));
        }

        string? Get(string name) =>
            columns.TryGetValue(name, out var i) && i < fields.Count && fields[i].Trim() is { Length: > 0 } v ? v : null;

        foreach (var required in RequiredColumns)
        {
            // value and unit may be empty (a cancellation; a qualitative "not detected"): the normaliser decides.
            if (required is not ("value" or "unit") && Get(required) is null)
            {
                var reason = fields.Count < columns.Count
                    ? $"missing {required} (the row has {fields.Count} fields, the header {columns.Count})"
                    : $"missing {required}";
                return ReadItem.Fail(new IngestionError(line, null, required, reason));
            }
        }

        return ReadItem.Of(RawResult.FromFields(Get, line));
    }

    /// <summary>Longest column name read in a header row.</summary>
    internal const int MaxHeaderName = 256;

    private static Dictionary<string, int> ParseHeader(string headerLine, char separator, string fileName)
    {
        var fields = new List<string>();
        _ = new CsvRecordReader(new StringReader(headerLine), separator).TryReadRecord(fields, out _, out _);
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim().Trim('\uFEFF').ToLowerInvariant();
            if (name.Length > MaxHeaderName)
            {
                // A header is column names; a 10 MB "name" is a file cut or joined wrongly, not columns to ignore.
                throw new LabFileFormatException(fileName, new IngestionError(1, null, null, string.Create(CultureInfo.InvariantCulture,
                    $"header column {i + 1} is longer than {MaxHeaderName} characters: the header row is not a list of column names (a file cut or joined wrongly?)")));
            }

            if (name.Length > 0 && !columns.TryAdd(name, i))
            {
                throw new LabFileFormatException(fileName, new IngestionError(1, null, name, $"column '{name}' appears twice in the header"));
            }
        }

        var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            throw new LabFileFormatException(fileName, new IngestionError(1, null, missing[0],
                $"the header lacks required column(s) {string.Join(", ", missing)}"));
        }

        return columns;
    }

    /// <summary>The separator under which the header names patient_id; null when neither does.</summary>
    private static char? DetectSeparator(string headerLine)
    {
        foreach (var candidate in new[] { ',', ';' })
        {
            var names = headerLine.Split(candidate).Select(n => n.Trim().Trim('"', '\uFEFF').ToLowerInvariant());
            if (names.Contains("patient_id"))
            {
                return candidate;
            }
        }

        return null;
    }
}

using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary>
/// <see cref="ILabResultStore"/> on the <c>LabResults</c> table: partition = patient id, row = <c>{resultId}.{versionId}</c>
/// (one row per version; rows written before versions existed have the result id alone and read as one version).
/// </summary>
public sealed class TableLabResultStore(StorageClients clients) : ILabResultStore
{
    private readonly TableClient _table = clients.Tables.GetTableClient(PipelineNames.Tables.LabResults);

    public async Task UpsertAsync(string patientId, IReadOnlyCollection<LabResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (var batch in TableBatches.Split(patientId, results.Select(ToEntity)))
        {
            var actions = batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e));
            await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Rows a query asks for at once: one page's entities live at a time.</summary>
    private const int PageSize = 1000;

    /// <summary>
    /// At most <paramref name="maxVersions"/> + 1 rows are asked of the table (the last page asks only for the rows still
    /// wanted): a record of a million versions costs what one of the limit does.
    /// </summary>
    public async Task<RecordRead> GetVersionsAsync(string patientId, int maxVersions, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersions, 1);
        var versions = await ReadAsync(patientId, s_columns, forEvaluation: false, OneMore(maxVersions), cancellationToken).ConfigureAwait(false);
        return RecordRead.Within(versions, maxVersions);
    }

    /// <summary>
    /// As <see cref="GetVersionsAsync"/>, without <see cref="LabResult.SourceSegment"/>
    /// (not read from the table) and <see cref="LabResult.Identity"/> (kept for cancelled versions only): about 14 MB less
    /// for a 100,000-result record.
    /// </summary>
    public async Task<RecordRead> GetVersionsForEvaluationAsync(string patientId, int maxVersions, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersions, 1);
        var versions = await ReadAsync(patientId, s_evaluationColumns, forEvaluation: true, OneMore(maxVersions), cancellationToken).ConfigureAwait(false);
        return RecordRead.Within(versions, maxVersions);
    }

    /// <summary>Rows to read to know whether a record holds more than <paramref name="maxVersions"/> (int.MaxValue: all).</summary>
    private static int OneMore(int maxVersions) => maxVersions == int.MaxValue ? maxVersions : maxVersions + 1;

    /// <summary>The patient's versions, read until <paramref name="take"/> are held or the partition ends.</summary>
    private async Task<IReadOnlyList<LabResult>> ReadAsync(string patientId, string[] columns, bool forEvaluation, int take, CancellationToken cancellationToken)
    {
        // Page by page (one page's entities live at a time), the properties a result has and no others, and the texts a
        // record repeats row after row (patient, file, unit, lab, specimen…) held once: a 100,000-result record keeps what is
        // distinct in each result, not 100,000 copies of its file name.
        var list = new List<LabResult>();
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var filter = $"PartitionKey eq {TableKeys.Literal(patientId)}";
        var query = _table.QueryAsync<TableEntity>(filter, maxPerPage: PageSize, select: columns, cancellationToken: cancellationToken);
        string? continuation = null;
        do
        {
            // One page per round, each asking for no more rows than are still wanted ($top): the read stops at 'take' rows.
            Page<TableEntity>? page = null;
            await foreach (var first in query.AsPages(continuation, Math.Min(PageSize, take - list.Count)).ConfigureAwait(false))
            {
                page = first;
                break;
            }

            foreach (var e in page?.Values ?? [])
            {
                list.Add(FromEntity(e, texts, forEvaluation));
            }

            continuation = page?.ContinuationToken;
        }
        while (continuation is not null && list.Count < take);

        list.TrimExcess();
        return list;
    }

    /// <summary>The properties <c>FromEntity</c> reads.</summary>
    private static readonly string[] s_columns =
    [
        "PartitionKey", "RowKey", "Timestamp", "ResultId", "VersionId", "Identity", "SourceKey", "ReportedAt", "ReceivedAtUtc", "Analyte", "Loinc", "Value",
        "Comparator", "Detected", "Unit", "OriginalValue", "OriginalUnit", "Sensitivity", "CollectedAt", "CollectedAtKind", "Status", "Specimen", "Method",
        "Lab", "SourceFile", "SourceLine", "SourceSegment",
    ];

    /// <summary><see cref="s_columns"/> but <c>SourceSegment</c> (<see cref="GetVersionsForEvaluationAsync"/>).</summary>
    private static readonly string[] s_evaluationColumns = [.. s_columns.Where(c => c != "SourceSegment")];

    internal static string RowKey(LabResult r) => r.VersionId.Length == 0 ? r.ResultId : $"{r.ResultId}.{r.VersionId}";

    internal static TableEntity ToEntity(LabResult r) => new(r.PatientId, RowKey(r))
    {
        ["ResultId"] = r.ResultId,
        ["VersionId"] = r.VersionId,
        ["Identity"] = r.Identity,
        ["ReportedAt"] = r.ReportedAt?.ToString("o", CultureInfo.InvariantCulture),
        ["ReceivedAtUtc"] = r.ReceivedAt.UtcDateTime,
        ["Analyte"] = AnalyteCatalog.Get(r.Analyte).Keyword,
        ["Loinc"] = r.Loinc,
        ["Value"] = r.Value?.ToString(CultureInfo.InvariantCulture),
        ["Comparator"] = r.Comparator,
        ["Detected"] = r.Detected,
        ["Unit"] = r.Unit,
        ["OriginalValue"] = r.OriginalValue,
        ["OriginalUnit"] = r.OriginalUnit,
        ["Sensitivity"] = r.Sensitivity?.ToString(CultureInfo.InvariantCulture),
        // Tables keep DateTime in UTC only: the lab's offset is kept in the text form.
        ["CollectedAt"] = r.CollectedAt.ToString("o", CultureInfo.InvariantCulture),
        ["CollectedAtUtc"] = r.CollectedAt.UtcDateTime,
        // Date (a date-only value: the date is the truth) or MessageTime (a withdrawal that sent no collection time); absent = an instant.
        ["CollectedAtKind"] = r.CollectedAtKind == CollectionTimeKind.Instant ? null : r.CollectedAtKind.ToString(),
        ["Status"] = r.Status.ToString(),
        ["Specimen"] = r.Specimen,
        ["Method"] = r.Method,
        ["Lab"] = r.Lab,
        ["SourceFile"] = r.SourceFile,
        ["SourceLine"] = r.SourceLine,
        ["SourceSegment"] = r.SourceSegment,
    };

    internal static LabResult FromEntity(TableEntity e) => FromEntity(e, null);

    /// <param name="e">The row.</param>
    /// <param name="texts">Texts already read (one instance per distinct text of the low-variety properties); null: none shared.</param>
    /// <param name="forEvaluation">True: the identity of a version that is not cancelled is left out (<see cref="GetVersionsForEvaluationAsync"/>).</param>
    internal static LabResult FromEntity(TableEntity e, Dictionary<string, string>? texts, bool forEvaluation = false)
    {
        var status = Enum.Parse<ResultStatus>(e.GetString("Status"));
        AnalyteCatalog.TryResolve(e.GetString("Analyte"), out var analyte);
        string? Shared(string name) => Intern(e.GetString(name));
        string? Intern(string? value)
        {
            if (value is null || texts is null)
            {
                return value;
            }

            if (texts.TryGetValue(value, out var held))
            {
                return held;
            }

            // Bounded: a property that varies row by row stops being shared once 4,096 texts are held.
            if (texts.Count < 4096)
            {
                texts[value] = value;
            }

            return value;
        }

        return new LabResult
        {
            ResultId = e.GetString("ResultId") ?? e.RowKey,
            VersionId = e.GetString("VersionId") ?? string.Empty,
            Identity = forEvaluation && status != ResultStatus.Cancelled ? null : e.GetString("Identity") ?? e.GetString("SourceKey"),
            ReportedAt = e.GetString("ReportedAt") is { } reported ? DateTimeOffset.Parse(reported, CultureInfo.InvariantCulture) : null,
            ReceivedAt = e.GetDateTimeOffset("ReceivedAtUtc") ?? e.Timestamp ?? DateTimeOffset.MinValue,
            PatientId = Intern(e.PartitionKey)!,
            Analyte = analyte.Analyte,
            Loinc = Shared("Loinc")!,
            Value = ParseDecimal(e.GetString("Value")),
            Comparator = Shared("Comparator"),
            Detected = e.GetBoolean("Detected"),
            Unit = Shared("Unit")!,
            OriginalValue = Shared("OriginalValue") ?? string.Empty,
            OriginalUnit = Shared("OriginalUnit") ?? string.Empty,
            Sensitivity = ParseDecimal(e.GetString("Sensitivity")),
            CollectedAt = DateTimeOffset.Parse(e.GetString("CollectedAt"), CultureInfo.InvariantCulture),
            CollectedAtKind = Enum.TryParse<CollectionTimeKind>(e.GetString("CollectedAtKind"), out var kind) ? kind : CollectionTimeKind.Instant,
            Status = status,
            Specimen = Shared("Specimen"),
            Method = Shared("Method"),
            Lab = Shared("Lab"),
            SourceFile = Shared("SourceFile") ?? string.Empty,
            SourceLine = e.GetInt32("SourceLine") ?? 0,
            SourceSegment = e.GetString("SourceSegment"),
        };
    }

    private static decimal? ParseDecimal(string? s) =>
        s is null ? null : decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}

using System.Globalization;
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

    public async Task<IReadOnlyList<LabResult>> GetVersionsAsync(string patientId, CancellationToken cancellationToken)
    {
        var list = new List<LabResult>();
        var filter = $"PartitionKey eq {TableKeys.Literal(patientId)}";
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

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

    internal static LabResult FromEntity(TableEntity e)
    {
        AnalyteCatalog.TryResolve(e.GetString("Analyte"), out var analyte);
        return new LabResult
        {
            ResultId = e.GetString("ResultId") ?? e.RowKey,
            VersionId = e.GetString("VersionId") ?? string.Empty,
            Identity = e.GetString("Identity") ?? e.GetString("SourceKey"),
            ReportedAt = e.GetString("ReportedAt") is { } reported ? DateTimeOffset.Parse(reported, CultureInfo.InvariantCulture) : null,
            ReceivedAt = e.GetDateTimeOffset("ReceivedAtUtc") ?? e.Timestamp ?? DateTimeOffset.MinValue,
            PatientId = e.PartitionKey,
            Analyte = analyte.Analyte,
            Loinc = e.GetString("Loinc"),
            Value = ParseDecimal(e.GetString("Value")),
            Comparator = e.GetString("Comparator"),
            Detected = e.GetBoolean("Detected"),
            Unit = e.GetString("Unit"),
            OriginalValue = e.GetString("OriginalValue") ?? string.Empty,
            OriginalUnit = e.GetString("OriginalUnit") ?? string.Empty,
            Sensitivity = ParseDecimal(e.GetString("Sensitivity")),
            CollectedAt = DateTimeOffset.Parse(e.GetString("CollectedAt"), CultureInfo.InvariantCulture),
            CollectedAtKind = Enum.TryParse<CollectionTimeKind>(e.GetString("CollectedAtKind"), out var kind) ? kind : CollectionTimeKind.Instant,
            Status = Enum.Parse<ResultStatus>(e.GetString("Status")),
            Specimen = e.GetString("Specimen"),
            Method = e.GetString("Method"),
            Lab = e.GetString("Lab"),
            SourceFile = e.GetString("SourceFile") ?? string.Empty,
            SourceLine = e.GetInt32("SourceLine") ?? 0,
            SourceSegment = e.GetString("SourceSegment"),
        };
    }

    private static decimal? ParseDecimal(string? s) =>
        s is null ? null : decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}

using System.Globalization;
using Azure.Data.Tables;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary><see cref="ILabResultStore"/> on the <c>LabResults</c> table: partition = patient id, row = result id.</summary>
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

    public async Task<IReadOnlyList<LabResult>> GetHistoryAsync(string patientId, CancellationToken cancellationToken)
    {
        var list = new List<LabResult>();
        var filter = $"PartitionKey eq {TableKeys.Literal(patientId)}";
        await foreach (var e in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

    internal static TableEntity ToEntity(LabResult r) => new(r.PatientId, r.ResultId)
    {
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
        ["Status"] = r.Status.ToString(),
        ["Specimen"] = r.Specimen,
        ["Method"] = r.Method,
        ["Lab"] = r.Lab,
        ["SourceKey"] = r.SourceKey,
        ["SourceFile"] = r.SourceFile,
        ["SourceLine"] = r.SourceLine,
    };

    internal static LabResult FromEntity(TableEntity e)
    {
        AnalyteCatalog.TryResolve(e.GetString("Analyte"), out var analyte);
        return new LabResult
        {
            ResultId = e.RowKey,
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
            Status = Enum.Parse<ResultStatus>(e.GetString("Status")),
            Specimen = e.GetString("Specimen"),
            Method = e.GetString("Method"),
            Lab = e.GetString("Lab"),
            SourceKey = e.GetString("SourceKey"),
            SourceFile = e.GetString("SourceFile") ?? string.Empty,
            SourceLine = e.GetInt32("SourceLine") ?? 0,
        };
    }

    private static decimal? ParseDecimal(string? s) =>
        s is null ? null : decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
}

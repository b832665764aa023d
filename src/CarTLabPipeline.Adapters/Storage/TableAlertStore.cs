using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary>
/// <see cref="IAlertStore"/> on the <c>Alerts</c> table: partition = patient id, row = alert id. The full alert is kept as
/// its contract JSON (<c>Json</c>), the outbox as <c>Deliveries</c>; rule, severity, status and day are columns for queries.
/// </summary>
public sealed class TableAlertStore(StorageClients clients) : IAlertStore
{
    private readonly TableClient _table = clients.Tables.GetTableClient(PipelineNames.Tables.Alerts);

    public async Task<StoredAlert?> GetAsync(string patientId, string alertId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(patientId, alertId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public async Task<StoredAlert?> FindAsync(string alertId, CancellationToken cancellationToken)
    {
        await foreach (var e in _table.QueryAsync<TableEntity>($"RowKey eq {TableKeys.Literal(alertId)}", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return FromEntity(e);
        }

        return null;
    }

    public Task<bool> TryAddAsync(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries, CancellationToken cancellationToken) =>
        _table.TryAddEntityAsync(ToEntity(alert, deliveries), cancellationToken);

    public async Task<string?> TryUpdateAsync(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries, string etag, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.UpdateEntityAsync(ToEntity(alert, deliveries), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("the table service returned no ETag");
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<StoredAlert>> ListForPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        var list = new List<StoredAlert>();
        await foreach (var e in _table.QueryAsync<TableEntity>($"PartitionKey eq {TableKeys.Literal(patientId)}", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(FromEntity(e));
        }

        return list;
    }

    public async IAsyncEnumerable<StoredAlert> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromEntity(e);
        }
    }

    private static TableEntity ToEntity(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries) => new(alert.PatientId, alert.AlertId)
    {
        ["RuleId"] = alert.RuleId,
        ["Severity"] = alert.Severity.ToString().ToLowerInvariant(),
        ["Status"] = alert.Status.ToString().ToLowerInvariant(),
        ["DayPostInfusion"] = alert.DayPostInfusion,
        ["ObservedAtUtc"] = alert.ObservedAt.UtcDateTime,
        ["CreatedAtUtc"] = alert.CreatedAt.UtcDateTime,
        ["Json"] = PipelineJson.Serialize(alert),
        ["Deliveries"] = PipelineJson.Serialize(deliveries.Values.OrderBy(d => d.Key, StringComparer.Ordinal)),
    };

    private static StoredAlert FromEntity(TableEntity e)
    {
        var alert = PipelineJson.Deserialize<Alert>(e.GetString("Json"))
            ?? throw new InvalidDataException($"Alerts row {e.RowKey} holds no alert");
        var deliveries = PipelineJson.Deserialize<List<Delivery>>(e.GetString("Deliveries") ?? "[]") ?? [];
        return new StoredAlert(alert, deliveries.ToDictionary(d => d.Key, StringComparer.Ordinal), e.ETag.ToString());
    }
}

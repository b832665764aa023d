using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Patients;

namespace CarTLabPipeline.Adapters.Storage;

/// <summary><see cref="IPatientStore"/> on the <c>Patients</c> table: partition = patient id, row = <c>enrollment</c>.</summary>
public sealed class TablePatientStore(StorageClients clients) : IPatientStore
{
    private const string EnrollmentRow = "enrollment";
    private readonly TableClient _table = clients.Tables.GetTableClient(PipelineNames.Tables.Patients);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _enrolled = new(StringComparer.Ordinal);

    public async Task<bool> IsEnrolledAsync(string patientId, CancellationToken cancellationToken)
    {
        if (_enrolled.ContainsKey(patientId))
        {
            return true;
        }

        var response = await _table.GetEntityIfExistsAsync<TableEntity>(patientId, EnrollmentRow, select: ["PartitionKey"], cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        if (response.HasValue)
        {
            _enrolled.TryAdd(patientId, true);
        }

        return response.HasValue;
    }

    public async Task<Enrollment?> GetAsync(string patientId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(patientId, EnrollmentRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    public Task UpsertAsync(Enrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        return UpsertAndRememberAsync(ToEntity(enrollment), cancellationToken);
    }

    public async Task<StoredEnrollment?> GetForUpdateAsync(string patientId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(patientId, EnrollmentRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? new StoredEnrollment(FromEntity(response.Value!), response.Value!.ETag.ToString()) : null;
    }

    public async Task<bool> TryReplaceAsync(Enrollment enrollment, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        try
        {
            await _table.UpdateEntityAsync(ToEntity(enrollment), new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false; // changed (or gone) since it was read
        }
    }

    private static TableEntity ToEntity(Enrollment enrollment) => new(enrollment.PatientId, EnrollmentRow)
    {
        ["Product"] = enrollment.Product,
        ["InfusionDate"] = enrollment.InfusionDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["TimeZone"] = enrollment.TimeZone,
        ["Json"] = PipelineJson.Serialize(enrollment),
    };

    private async Task UpsertAndRememberAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        _enrolled.TryAdd(entity.PartitionKey, true);
    }

    public async IAsyncEnumerable<Enrollment> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _table.QueryAsync<TableEntity>($"RowKey eq '{EnrollmentRow}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromEntity(e);
        }
    }

    private static Enrollment FromEntity(TableEntity e) =>
        PipelineJson.Deserialize<Enrollment>(e.GetString("Json"))
        ?? throw new InvalidDataException($"Patients row {e.PartitionKey} holds no enrollment");
}

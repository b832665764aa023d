using System.Globalization;
using System.Runtime.CompilerServices;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>
/// <see cref="IAlertStore"/> in memory, with the semantics of <c>TableAlertStore</c>: partition = patient id, row = alert
/// id; the alert and its deliveries are kept as their JSON (every read is a copy; deliveries come back keyed by
/// <see cref="Delivery.Key"/>); <see cref="TryAddAsync"/> inserts if absent; <see cref="TryUpdateAsync"/> replaces the row
/// only when the ETag matches (<c>*</c> matches any) and returns a new ETag, null when the ETag is stale or the row is
/// missing; every write gives the row a new ETag; <see cref="FindAsync"/> looks across partitions; lists are in
/// partition then row order. Thread-safe.
/// </summary>
public sealed class InMemoryAlertStore : IAlertStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<(string PatientId, string AlertId), Row> _rows = new(KeyComparer.Instance);
    private long _version;
    private int _conflicts;

    /// <summary>Updates refused for a stale ETag or a missing row, and inserts refused for an existing row (test helper).</summary>
    public int Conflicts
    {
        get
        {
            lock (_lock)
            {
                return _conflicts;
            }
        }
    }

    /// <summary>How many alert rows are stored (test helper).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _rows.Count;
            }
        }
    }

    public Task<StoredAlert?> GetAsync(string patientId, string alertId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue((patientId, alertId), out var row) ? row.Read() : null);
        }
    }

    public Task<StoredAlert?> FindAsync(string alertId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var row = _rows.FirstOrDefault(r => string.Equals(r.Key.AlertId, alertId, StringComparison.Ordinal)).Value;
            return Task.FromResult(row?.Read());
        }
    }

    public Task<bool> TryAddAsync(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(deliveries);
        cancellationToken.ThrowIfCancellationRequested();
        var (alertJson, deliveriesJson) = Write(alert, deliveries);
        lock (_lock)
        {
            var key = (alert.PatientId, alert.AlertId);
            if (_rows.ContainsKey(key))
            {
                _conflicts++;
                return Task.FromResult(false);
            }

            _rows[key] = new Row(alertJson, deliveriesJson, NextETag());
            return Task.FromResult(true);
        }
    }

    public Task<string?> TryUpdateAsync(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(deliveries);
        cancellationToken.ThrowIfCancellationRequested();
        var (alertJson, deliveriesJson) = Write(alert, deliveries);
        lock (_lock)
        {
            var key = (alert.PatientId, alert.AlertId);
            if (!_rows.TryGetValue(key, out var row) || (etag != "*" && !string.Equals(row.ETag, etag, StringComparison.Ordinal)))
            {
                _conflicts++;
                return Task.FromResult<string?>(null);
            }

            var updated = new Row(alertJson, deliveriesJson, NextETag());
            _rows[key] = updated;
            return Task.FromResult<string?>(updated.ETag);
        }
    }

    public Task<IReadOnlyList<StoredAlert>> ListForPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<StoredAlert> list = [.. _rows.Where(r => string.Equals(r.Key.PatientId, patientId, StringComparison.Ordinal)).Select(r => r.Value.Read())];
            return Task.FromResult(list);
        }
    }

    public async IAsyncEnumerable<StoredAlert> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var alert in All())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return alert;
        }
    }

    /// <summary>Every stored alert (test helper), by patient then alert id.</summary>
    public IReadOnlyList<StoredAlert> All()
    {
        lock (_lock)
        {
            return [.. _rows.Values.Select(r => r.Read())];
        }
    }

    private static (string Alert, string Deliveries) Write(Alert alert, IReadOnlyDictionary<string, Delivery> deliveries) =>
        (PipelineJson.Serialize(alert), PipelineJson.Serialize(deliveries.Values.OrderBy(d => d.Key, StringComparer.Ordinal)));

    /// <summary>A weak ETag in the table service's form, different on every write.</summary>
    private string NextETag() => string.Create(CultureInfo.InvariantCulture, $"W/\"inmemory'{++_version}'\"");

    private sealed record Row(string AlertJson, string DeliveriesJson, string ETag)
    {
        public StoredAlert Read()
        {
            var alert = PipelineJson.Deserialize<Alert>(AlertJson) ?? throw new InvalidDataException("an Alerts row holds no alert");
            var deliveries = PipelineJson.Deserialize<List<Delivery>>(DeliveriesJson) ?? [];
            return new StoredAlert(alert, deliveries.ToDictionary(d => d.Key, StringComparer.Ordinal), ETag);
        }
    }

    private sealed class KeyComparer : IComparer<(string PatientId, string AlertId)>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare((string PatientId, string AlertId) x, (string PatientId, string AlertId) y)
        {
            var partition = string.CompareOrdinal(x.PatientId, y.PatientId);
            return partition != 0 ? partition : string.CompareOrdinal(x.AlertId, y.AlertId);
        }
    }
}

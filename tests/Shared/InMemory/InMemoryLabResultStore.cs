using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>
/// <see cref="ILabResultStore"/> in memory, with the semantics of <c>TableLabResultStore</c>: partition = patient id, row =
/// <c>{resultId}.{versionId}</c> (the result id alone when the version id is empty); storing a version again replaces that
/// row and no other; a call holding results of another patient than <c>patientId</c>, or the same row twice, throws
/// <see cref="ArgumentException"/> and stores nothing; versions are read back in row-key order, with
/// <see cref="LabResult.ReceivedAt"/> in UTC (the table keeps DateTime in UTC only). Thread-safe.
/// </summary>
public sealed class InMemoryLabResultStore : ILabResultStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<string, LabResult>> _partitions = new(StringComparer.Ordinal);
    private int _writes;
    private long _rowsRead;
    private long _reads;

    /// <summary>Calls of <see cref="UpsertAsync"/> that stored something (a table adapter's batches are not counted apart).</summary>
    public int UpsertCalls
    {
        get
        {
            lock (_lock)
            {
                return _writes;
            }
        }
    }

    /// <summary>The row key the table adapter gives a version.</summary>
    public static string RowKey(LabResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.VersionId.Length == 0 ? result.ResultId : $"{result.ResultId}.{result.VersionId}";
    }

    public Task UpsertAsync(string patientId, IReadOnlyCollection<LabResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        cancellationToken.ThrowIfCancellationRequested();
        var rows = new Dictionary<string, LabResult>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (!string.Equals(result.PatientId, patientId, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"a table transaction holds one partition: expected '{patientId}', got '{result.PatientId}'", nameof(results));
            }

            var key = RowKey(result);
            if (!rows.TryAdd(key, Stored(result)))
            {
                throw new ArgumentException($"row '{key}' appears twice in one transaction", nameof(results));
            }
        }

        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            if (!_partitions.TryGetValue(patientId, out var partition))
            {
                _partitions[patientId] = partition = new SortedDictionary<string, LabResult>(StringComparer.Ordinal);
            }

            foreach (var (key, row) in rows)
            {
                partition[key] = row;
            }

            _writes++;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// As the table store: at most <paramref name="maxVersions"/> + 1 rows are read (<see cref="RowsRead"/> counts them),
    /// and a record that holds more is said too large with no version.
    /// </summary>
    public Task<RecordRead> GetVersionsAsync(string patientId, int maxVersions, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersions, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var take = maxVersions == int.MaxValue ? maxVersions : maxVersions + 1;
            IReadOnlyList<LabResult> read = _partitions.TryGetValue(patientId, out var partition) ? [.. partition.Values.Take(take)] : [];
            _rowsRead += read.Count;
            _reads++;
            return Task.FromResult(RecordRead.Within(read, maxVersions));
        }
    }

    /// <summary>As <see cref="GetVersionsAsync"/>: nothing is left out of a version here.</summary>
    public Task<RecordRead> GetVersionsForEvaluationAsync(string patientId, int maxVersions, CancellationToken cancellationToken) =>
        GetVersionsAsync(patientId, maxVersions, cancellationToken);

    /// <summary>Bounded reads of a record (<see cref="GetVersionsAsync"/>, <see cref="GetVersionsForEvaluationAsync"/>) since the store was made.</summary>
    public long Reads
    {
        get
        {
            lock (_lock)
            {
                return _reads;
            }
        }
    }

    /// <summary>Rows the bounded reads (<see cref="GetVersionsAsync"/>, <see cref="GetVersionsForEvaluationAsync"/>) have read since the store was made.</summary>
    public long RowsRead
    {
        get
        {
            lock (_lock)
            {
                return _rowsRead;
            }
        }
    }

    /// <summary>Every stored version of every patient (test helper), by patient then row key.</summary>
    public IReadOnlyList<LabResult> All()
    {
        lock (_lock)
        {
            return [.. _partitions.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value.Values)];
        }
    }

    /// <summary>How many versions are stored for <paramref name="patientId"/> (test helper).</summary>
    public int Count(string patientId)
    {
        lock (_lock)
        {
            return _partitions.TryGetValue(patientId, out var partition) ? partition.Count : 0;
        }
    }

    /// <summary>
    /// The row as the table gives it back: a <see cref="LabResult"/> is immutable, so only what the table changes is changed
    /// (DateTime columns are UTC; the collection offset is kept in the text form, the arrival time is not).
    /// </summary>
    private static LabResult Stored(LabResult result) => result with { ReceivedAt = result.ReceivedAt.ToUniversalTime() };
}

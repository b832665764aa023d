using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Stores the results of one file in per-patient batches (a batch is one table transaction): results are buffered per
/// patient, a patient's buffer is written when it holds <see cref="BatchSize"/> results, and every buffer when the file
/// has <see cref="MaxBuffered"/> results waiting. Up to <see cref="MaxConcurrentWrites"/> batches are in flight (a batch
/// is one round trip: waiting for each in turn left the storage idle); a patient's batches are written in order.
/// </summary>
/// <remarks>
/// The same version of a result twice in one file is stored once (a transaction may hold a row only once; the later row
/// is kept). A failed write surfaces from the next <see cref="AddAsync"/> or from <see cref="CompleteAsync"/>. Not
/// thread-safe: one file, one writer.
/// </remarks>
public sealed class PatientBatchWriter(ILabResultStore results, CancellationToken cancellationToken,
    int batchSize = PatientBatchWriter.DefaultBatchSize,
    int maxBuffered = PatientBatchWriter.DefaultMaxBuffered,
    int maxConcurrentWrites = PatientBatchWriter.DefaultMaxConcurrentWrites)
{
    /// <summary>Default <see cref="BatchSize"/>: the table transaction limit.</summary>
    public const int DefaultBatchSize = 100;

    /// <summary>Default <see cref="MaxBuffered"/>.</summary>
    public const int DefaultMaxBuffered = 2000;

    /// <summary>Default <see cref="MaxConcurrentWrites"/>.</summary>
    public const int DefaultMaxConcurrentWrites = 8;

    private readonly Dictionary<string, Dictionary<(string ResultId, string VersionId), LabResult>> _buffers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _lastByPatient = new(StringComparer.Ordinal);
    private readonly List<Task> _inFlight = [];
    private int _buffered;

    /// <summary>Results buffered per patient before the patient's batch is written.</summary>
    public int BatchSize { get; } = batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize));

    /// <summary>Results buffered over all patients before every buffer is written.</summary>
    public int MaxBuffered { get; } = maxBuffered > 0 ? maxBuffered : throw new ArgumentOutOfRangeException(nameof(maxBuffered));

    /// <summary>Batches written at once.</summary>
    public int MaxConcurrentWrites { get; } = maxConcurrentWrites > 0 ? maxConcurrentWrites : throw new ArgumentOutOfRangeException(nameof(maxConcurrentWrites));

    /// <summary>Results handed to the store so far (each version once).</summary>
    public int Written { get; private set; }

    /// <summary>Buffers <paramref name="result"/>; writes batches when a buffer is full (waiting while too many are in flight).</summary>
    /// <exception cref="Exception">A write of an earlier batch failed (rethrown as the store threw it).</exception>
    public async ValueTask AddAsync(LabResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!_buffers.TryGetValue(result.PatientId, out var buffer))
        {
            _buffers[result.PatientId] = buffer = [];
        }

        var key = (result.ResultId, result.VersionId);
        if (buffer.TryAdd(key, result))
        {
            _buffered++;
        }
        else
        {
            buffer[key] = result;
        }

        if (buffer.Count >= BatchSize)
        {
            await FlushAsync(result.PatientId).ConfigureAwait(false);
        }
        else if (_buffered >= MaxBuffered)
        {
            await FlushAllAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes every buffer and waits for every write; returns <see cref="Written"/>.</summary>
    /// <exception cref="Exception">A write failed (rethrown as the store threw it).</exception>
    public async Task<int> CompleteAsync()
    {
        await FlushAllAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_inFlight).ConfigureAwait(false);
        }
        finally
        {
            _inFlight.Clear();
            _lastByPatient.Clear();
        }

        return Written;
    }

    private async Task FlushAllAsync()
    {
        foreach (var patientId in _buffers.Keys.ToList())
        {
            await FlushAsync(patientId).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(string patientId)
    {
        await ThrottleAsync().ConfigureAwait(false);
        if (!_buffers.Remove(patientId, out var buffer) || buffer.Count == 0)
        {
            return;
        }

        _buffered -= buffer.Count;
        Written += buffer.Count;
        var previous = _lastByPatient.GetValueOrDefault(patientId) ?? Task.CompletedTask;
        var task = WriteAfterAsync(previous, patientId, [.. buffer.Values]);
        _lastByPatient[patientId] = task;
        _inFlight.Add(task);
    }

    /// <summary>Waits until fewer than the maximum writes are in flight; rethrows a failed write.</summary>
    private async Task ThrottleAsync()
    {
        while (_inFlight.Count >= MaxConcurrentWrites)
        {
            var done = await Task.WhenAny(_inFlight).ConfigureAwait(false);
            await done.ConfigureAwait(false);
            _inFlight.RemoveAll(t => t.IsCompletedSuccessfully);
        }
    }

    private async Task WriteAfterAsync(Task previous, string patientId, IReadOnlyCollection<LabResult> batch)
    {
        await previous.ConfigureAwait(false);
        await results.UpsertAsync(patientId, batch, cancellationToken).ConfigureAwait(false);
    }
}

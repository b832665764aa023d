using System.Runtime.CompilerServices;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;

namespace CarTLabPipeline.Testing.InMemory;

/// <summary>
/// <see cref="IPatientStore"/> in memory, with the semantics of <c>TablePatientStore</c>: one row per patient id holding
/// the enrollment as its JSON (so every read is a copy, and what the caller changes afterwards is not stored); an upsert
/// replaces the row; the list is in patient-id order. Thread-safe.
/// </summary>
public sealed class InMemoryPatientStore : IPatientStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, string> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private long _version;

    public Task<Enrollment?> GetAsync(string patientId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue(patientId, out var json) ? Read(json) : null);
        }
    }

    public Task<bool> IsEnrolledAsync(string patientId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.ContainsKey(patientId));
        }
    }

    public Task UpsertAsync(Enrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        cancellationToken.ThrowIfCancellationRequested();
        var json = PipelineJson.Serialize(enrollment);
        lock (_lock)
        {
            _rows[enrollment.PatientId] = json;
            _versions[enrollment.PatientId] = ++_version;
        }

        return Task.CompletedTask;
    }

    public Task<StoredEnrollment?> GetForUpdateAsync(string patientId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue(patientId, out var json)
                ? new StoredEnrollment(Read(json), _versions[patientId].ToString(System.Globalization.CultureInfo.InvariantCulture))
                : null);
        }
    }

    public Task<bool> TryReplaceAsync(Enrollment enrollment, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        cancellationToken.ThrowIfCancellationRequested();
        var json = PipelineJson.Serialize(enrollment);
        lock (_lock)
        {
            if (!_versions.TryGetValue(enrollment.PatientId, out var version) || version.ToString(System.Globalization.CultureInfo.InvariantCulture) != etag)
            {
                return Task.FromResult(false);
            }

            _rows[enrollment.PatientId] = json;
            _versions[enrollment.PatientId] = ++_version;
            return Task.FromResult(true);
        }
    }

    public async IAsyncEnumerable<Enrollment> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<string> rows;
        lock (_lock)
        {
            rows = [.. _rows.Values];
        }

        foreach (var json in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return Read(json);
        }
    }

    /// <summary>Every enrollment stored (test helper), by patient id.</summary>
    public IReadOnlyList<Enrollment> All()
    {
        lock (_lock)
        {
            return [.. _rows.Values.Select(Read)];
        }
    }

    private static Enrollment Read(string json) =>
        PipelineJson.Deserialize<Enrollment>(json) ?? throw new InvalidDataException("a Patients row holds no enrollment");
}

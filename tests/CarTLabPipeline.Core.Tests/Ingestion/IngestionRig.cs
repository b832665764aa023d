using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CarTLabPipeline.Core.Tests.Ingestion;

/// <summary>
/// File ingestion and the sweep over in-memory ports: a ledger with the table's claim semantics, a drop zone, a result
/// store that can be told to fail, every patient enrolled, and a clock the test moves.
/// </summary>
internal sealed class IngestionRig
{
    public IngestionRig(IngestionOptions? options = null)
    {
        Options = options ?? new IngestionOptions();
        var o = Microsoft.Extensions.Options.Options.Create(Options);
        Ingestion = new LabFileIngestionService(IngestionHarness.Parser(Options), Results, new EnrolledPatients(), Ledger, Files, Queue,
            new UnknownPatientAlerts(null!, Microsoft.Extensions.Options.Options.Create(new CarTLabPipeline.Rules.UnknownPatient.UnknownPatientOptions()), Time), // never raised: all enrolled
            new RejectedFileAlerts(null!, null!, Microsoft.Extensions.Options.Options.Create(new IngestionOptions { RejectedAlert = { Enabled = false } }), Time),
            o, Time, NullLogger<LabFileIngestionService>.Instance);
        Sweep = new ReconciliationService(Files, Ledger, Ingestion, Time, NullLogger<ReconciliationService>.Instance);
    }

    public IngestionOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(TestData.Now);

    public MemoryLedger Ledger { get; } = new();

    public MemoryFileStore Files { get; } = new();

    public MemoryResultStore Results { get; } = new();

    public MemoryQueue Queue { get; } = new();

    public LabFileIngestionService Ingestion { get; }

    public ReconciliationService Sweep { get; }

    /// <summary>A CSV of IgG results of one patient, one per day from day +10.</summary>
    public static string Csv(string patientId, int rows = 2)
    {
        var text = new StringBuilder("patient_id,collected_at,analyte,value,unit\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{patientId},2024-09-{10 + i:D2}T08:00:00+02:00,igg,{300 + i},mg/dL\n");
        }

        return text.ToString();
    }

    public static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}

internal sealed class MemorySource(string name, string content, string? etag) : ILabFileSource
{
    private int _opens;

    public string Name => name;

    public string? ETag => etag;

    public string Content => content;

    /// <summary>How many times the content was opened (each ingestion attempt opens it).</summary>
    public int Opens => _opens;

    public Task<Stream> OpenReadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opens);
        return Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(content)));
    }
}

internal sealed class MemoryFileStore : ILabFileStore
{
    public List<MemorySource> Drop { get; } = [];

    public ConcurrentDictionary<string, IngestionReport> Rejections { get; } = new(StringComparer.Ordinal);

    public MemorySource Add(string name, string content, string? etag = "0x8DC0000000000001")
    {
        var source = new MemorySource(name, content, etag);
        Drop.Add(source);
        return source;
    }

    public async IAsyncEnumerable<ILabFileSource> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var source in Drop.ToList())
        {
            await Task.Yield();
            yield return source;
        }
    }

    public Task<ILabFileSource> UploadAsync(string name, Stream content, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ILabFileSource?> GetAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<ILabFileSource?>(Drop.LastOrDefault(s => s.Name == name));

    public Task SaveRejectionAsync(ILabFileSource source, IngestionReport report, CancellationToken cancellationToken)
    {
        Rejections[source.Name] = report;
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<IngestionReport> ListRejectionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var report in Rejections.Values)
        {
            await Task.Yield();
            yield return report;
        }
    }
}

/// <summary>The ledger with the table's semantics: insert-if-absent claims, conditional claim replacement.</summary>
internal sealed class MemoryLedger : IFileLedger
{
    private readonly Lock _lock = new();

    public Dictionary<string, IngestionReport> Content { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string?> Blobs { get; } = new(StringComparer.Ordinal);

    public Task<bool> TryBeginAsync(IngestionReport report, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Content.TryAdd(report.ContentSha256, report));
        }
    }

    public Task<IngestionReport?> GetAsync(string contentSha256, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Content.GetValueOrDefault(contentSha256));
        }
    }

    public Task CompleteAsync(IngestionReport report, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Content[report.ContentSha256] = report;
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryReplaceClaimAsync(IngestionReport current, IngestionReport replacement, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (Content.GetValueOrDefault(current.ContentSha256) is not { } held || held.Status != current.Status ||
                held.StartedAt != current.StartedAt || held.Attempts != current.Attempts)
            {
                return Task.FromResult(false);
            }

            Content[current.ContentSha256] = replacement;
            return Task.FromResult(true);
        }
    }

    public Task RecordBlobAsync(string blobName, string? etag, string contentSha256, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Blobs[blobName] = etag;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, string?>> GetHandledBlobsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>(Blobs, StringComparer.Ordinal));
        }
    }
}

/// <summary>Result versions by patient; writes of the patients in <see cref="FailingPatients"/> throw as a refusing storage would.</summary>
internal sealed class MemoryResultStore : ILabResultStore
{
    public ConcurrentDictionary<string, ConcurrentDictionary<string, LabResult>> Rows { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> FailingPatients { get; } = new(StringComparer.Ordinal);

    public Task UpsertAsync(string patientId, IReadOnlyCollection<LabResult> results, CancellationToken cancellationToken)
    {
        if (FailingPatients.ContainsKey(patientId))
        {
            throw new InvalidOperationException("storage refused the batch (400 PropertyValueTooLarge)");
        }

        var rows = Rows.GetOrAdd(patientId, _ => new ConcurrentDictionary<string, LabResult>(StringComparer.Ordinal));
        foreach (var r in results)
        {
            rows[$"{r.ResultId}.{r.VersionId}"] = r;
        }

        return Task.CompletedTask;
    }

    public Task<RecordRead> GetVersionsAsync(string patientId, int maxVersions, CancellationToken cancellationToken) =>
        Task.FromResult(RecordRead.Within(Rows.TryGetValue(patientId, out var rows) ? [.. rows.Values] : [], maxVersions));

    public Task<RecordRead> GetVersionsForEvaluationAsync(string patientId, int maxVersions, CancellationToken cancellationToken) =>
        GetVersionsAsync(patientId, maxVersions, cancellationToken);
}

internal sealed class EnrolledPatients : IPatientStore
{
    public Task<Enrollment?> GetAsync(string patientId, CancellationToken cancellationToken) => Task.FromResult<Enrollment?>(TestData.Enrollment(patientId));

    public Task<bool> IsEnrolledAsync(string patientId, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task UpsertAsync(Enrollment enrollment, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<StoredEnrollment?> GetForUpdateAsync(string patientId, CancellationToken cancellationToken) =>
        Task.FromResult<StoredEnrollment?>(new StoredEnrollment(TestData.Enrollment(patientId), "1"));

    public Task<bool> TryReplaceAsync(Enrollment enrollment, string etag, CancellationToken cancellationToken) => Task.FromResult(true);

    public async IAsyncEnumerable<Enrollment> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }
}

internal sealed class MemoryQueue : IPipelineQueue
{
    public ConcurrentQueue<(string Queue, object? Message)> Sent { get; } = new();

    public Task SendAsync<T>(string queueName, T message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        Sent.Enqueue((queueName, message));
        return Task.CompletedTask;
    }

    public Task<int> DeleteWhereAsync(string queueName, Func<string, bool> match, CancellationToken cancellationToken) => Task.FromResult(0);
}

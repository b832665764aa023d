using System.Security.Cryptography;
using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Ingests one lab file: hash → ledger claim → detect format → read (streaming) → normalise → store in per-patient
/// batches → one evaluation message per patient → ledger and rejection report. Idempotent: the same content (under any
/// name) is processed once; a crash part-way is finished by the next delivery, and re-storing a result replaces it.
/// </summary>
public sealed class LabFileIngestionService(
    IEnumerable<ILabFileReader> readers,
    ResultNormalizer normalizer,
    ILabResultStore results,
    IPatientStore patients,
    IFileLedger ledger,
    ILabFileStore files,
    IPipelineQueue queue,
    UnknownPatientAlerts unknownPatients,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<LabFileIngestionService> logger)
{
    /// <summary>Results buffered per patient before a batch is written (one table transaction).</summary>
    internal const int BatchSize = 100;

    /// <summary>Results buffered over all patients before the largest buffers are written.</summary>
    internal const int MaxBuffered = 2000;

    /// <summary>Batches written concurrently per file (each a single round trip to one partition).</summary>
    internal const int MaxConcurrentWrites = 8;

    private readonly Dictionary<LabFileFormat, ILabFileReader> _readers = readers.ToDictionary(r => r.Format);
    private readonly int _maxErrors = options.Value.MaxErrorsReported;

    /// <summary>Ingests <paramref name="source"/>. Never throws for bad content; throws for storage failures (retry).</summary>
    /// <param name="source">The file.</param>
    /// <param name="collectResultIds">Fill <see cref="IngestionReport.ResultIds"/> (also for duplicates).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <param name="force">Process even when the ledger knows the content (replay after a configuration fix).</param>
    public async Task<IngestionReport> IngestAsync(ILabFileSource source, bool collectResultIds, CancellationToken cancellationToken, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        var started = time.GetTimestamp();
        var (sha, size) = await HashAsync(source, cancellationToken).ConfigureAwait(false);
        var claim = new IngestionReport
        {
            File = source.Name,
            ContentSha256 = sha,
            SizeBytes = size,
            Status = IngestionStatus.Processing,
            StartedAt = time.GetUtcNow(),
        };

        if (!await ledger.TryBeginAsync(claim, cancellationToken).ConfigureAwait(false) && !force)
        {
            var existing = await ledger.GetAsync(sha, cancellationToken).ConfigureAwait(false);
            if (existing is { Status: not IngestionStatus.Processing })
            {
                await ledger.RecordBlobAsync(source.Name, source.ETag, sha, cancellationToken).ConfigureAwait(false);
                Log.FileDuplicate(logger, source.Name, existing.File);
                var ids = collectResultIds ? await CollectIdsAsync(source, cancellationToken).ConfigureAwait(false) : new HashSet<string>();
                return existing with { Status = IngestionStatus.Duplicate, DuplicateOf = existing.File, File = source.Name, ResultIds = ids };
            }

            // Claimed but never finished: an earlier attempt died. Processing again is safe (every write is idempotent).
            Log.FileResumed(logger, source.Name);
        }

        var report = await ProcessAsync(source, claim, collectResultIds, cancellationToken).ConfigureAwait(false);
        if (report.Rejected > 0 || report.Status == IngestionStatus.Rejected)
        {
            await files.SaveRejectionAsync(source, report, cancellationToken).ConfigureAwait(false);
        }

        await ledger.CompleteAsync(report, cancellationToken).ConfigureAwait(false);
        await ledger.RecordBlobAsync(source.Name, source.ETag, sha, cancellationToken).ConfigureAwait(false);
        Log.FileIngested(logger, source.Name, report.Format, report.Status, report.Stored, report.Rejected, report.Skipped,
            report.Patients, time.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    private async Task<IngestionReport> ProcessAsync(ILabFileSource source, IngestionReport claim, bool collectIds, CancellationToken ct)
    {
        var errors = new List<IngestionError>();
        var resultIds = new HashSet<string>(StringComparer.Ordinal);
        var buffers = new Dictionary<string, Dictionary<string, LabResult>>(StringComparer.Ordinal);
        var writer = new BatchWriter(results, ct);
        var touched = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int stored = 0, rejected = 0, skipped = 0, buffered = 0;
        var format = LabFileFormat.Unknown;

        void AddError(IngestionError error)
        {
            rejected++;
            if (errors.Count < _maxErrors)
            {
                errors.Add(error);
            }
        }

        await using (var raw = await source.OpenReadAsync(ct).ConfigureAwait(false))
        {
            var (detected, content) = LabFileFormatDetector.Detect(raw);
            format = detected;
            await using var _ = content.ConfigureAwait(false);
            if (!_readers.TryGetValue(detected, out var reader))
            {
                var reason = detected == LabFileFormat.Unknown
                    ? "not a recognised lab file: expected a CSV with a patient_id,collected_at,analyte,value,unit header, an HL7 v2 ORU^R01 message (MSH…) or FHIR R4 JSON"
                    : $"{detected} files are not accepted by this deployment yet";
                return claim with { Format = detected, Status = IngestionStatus.Rejected, Rejected = 1, Errors = [new(1, null, null, reason)], CompletedAt = time.GetUtcNow() };
            }

            try
            {
                foreach (var item in reader.Read(content, source.Name, ct))
                {
                    if (item.Error is { } rowError)
                    {
                        AddError(rowError);
                        continue;
                    }

                    if (item.Skipped is not null)
                    {
                        skipped++;
                        continue;
                    }

                    var outcome = normalizer.Normalize(item.Result!, source.Name);
                    if (outcome.Error is { } normError)
                    {
                        AddError(normError);
                        continue;
                    }

                    var result = outcome.Result!;
                    if (collectIds)
                    {
                        resultIds.Add(result.ResultId);
                    }

                    touched[result.PatientId] = touched.GetValueOrDefault(result.PatientId) + 1;
                    if (!buffers.TryGetValue(result.PatientId, out var buffer))
                    {
                        buffers[result.PatientId] = buffer = new Dictionary<string, LabResult>(StringComparer.Ordinal);
                    }

                    // Keyed by version (the row): two versions of one result in a file (final, then corrected) are both kept;
                    // the same version twice is one row (a batch may hold an entity only once).
                    var versionKey = result.ResultId + "." + result.VersionId;
                    if (buffer.TryAdd(versionKey, result))
                    {
                        buffered++;
                    }
                    else
                    {
                        buffer[versionKey] = result;
                    }

                    if (buffer.Count >= BatchSize)
                    {
                        await writer.ThrottleAsync().ConfigureAwait(false);
                        stored += Flush(result.PatientId, buffers, writer);
                        buffered -= BatchSize;
                    }
                    else if (buffered >= MaxBuffered)
                    {
                        stored += await FlushAllAsync().ConfigureAwait(false);
                        buffered = 0;
                    }
                }
            }
            catch (LabFileFormatException ex)
            {
                // The file as a whole is unreadable. What was stored before the fault stays (idempotent re-runs).
                AddError(ex.Error);
                stored += await FlushAllAsync().ConfigureAwait(false);
                await writer.DrainAsync().ConfigureAwait(false);

                return await FinishAsync(stored == 0 ? IngestionStatus.Rejected : IngestionStatus.Partial).ConfigureAwait(false);
            }
        }

        stored += await FlushAllAsync().ConfigureAwait(false);
        await writer.DrainAsync().ConfigureAwait(false);
        return await FinishAsync(rejected > 0 ? IngestionStatus.Partial : IngestionStatus.Processed).ConfigureAwait(false);

        // Hands every buffered patient to the writer (within its in-flight bound); returns how many results that was.
        async Task<int> FlushAllAsync()
        {
            var count = 0;
            foreach (var patientId in buffers.Keys.ToList())
            {
                await writer.ThrottleAsync().ConfigureAwait(false);
                count += Flush(patientId, buffers, writer);
            }

            return count;
        }

        async Task<IngestionReport> FinishAsync(IngestionStatus status)
        {
            // One enrollment check and one evaluation message per patient touched, several at a time (a 500-patient file
            // waited ~1,000 sequential round trips here).
            var unknown = new System.Collections.Concurrent.ConcurrentBag<string>();
            await Parallel.ForEachAsync(touched, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (entry, token) =>
            {
                var (patientId, count) = entry;
                if (!await patients.IsEnrolledAsync(patientId, token).ConfigureAwait(false))
                {
                    unknown.Add(patientId);
                    await unknownPatients.RaiseAsync(patientId, source.Name, count, token).ConfigureAwait(false);
                }

                await queue.SendAsync(PipelineNames.Queues.PatientEvaluations, new EvaluationRequest(patientId, EvaluationRequest.ReasonResults), null, token)
                    .ConfigureAwait(false);
            }).ConfigureAwait(false);

            return claim with
            {
                Format = format,
                Status = status,
                Stored = stored,
                Rejected = rejected,
                Skipped = skipped,
                Patients = touched.Count,
                UnknownPatients = [.. unknown.Order(StringComparer.Ordinal)],
                Errors = errors,
                CompletedAt = time.GetUtcNow(),
                ResultIds = resultIds,
            };
        }
    }

    private static int Flush(string patientId, Dictionary<string, Dictionary<string, LabResult>> buffers, BatchWriter writer)
    {
        if (!buffers.Remove(patientId, out var buffer) || buffer.Count == 0)
        {
            return 0;
        }

        writer.Write(patientId, buffer.Values);
        return buffer.Count;
    }

    /// <summary>
    /// Writes patient batches with up to <see cref="MaxConcurrentWrites"/> in flight (a batch is one round trip: waiting for
    /// each in turn left the storage idle), keeping each patient's batches in order (a later row must win).
    /// </summary>
    private sealed class BatchWriter(ILabResultStore results, CancellationToken ct)
    {
        private readonly Dictionary<string, Task> _lastByPatient = new(StringComparer.Ordinal);
        private readonly List<Task> _inFlight = [];

        public void Write(string patientId, IReadOnlyCollection<LabResult> batch)
        {
            var previous = _lastByPatient.GetValueOrDefault(patientId) ?? Task.CompletedTask;
            var task = WriteAfterAsync(previous, patientId, batch);
            _lastByPatient[patientId] = task;
            _inFlight.Add(task);
        }

        /// <summary>Waits until fewer than the maximum writes are in flight; rethrows a failed write.</summary>
        public async Task ThrottleAsync()
        {
            while (_inFlight.Count >= MaxConcurrentWrites)
            {
                var done = await Task.WhenAny(_inFlight).ConfigureAwait(false);
                await done.ConfigureAwait(false);
                _inFlight.RemoveAll(t => t.IsCompletedSuccessfully);
            }
        }

        public async Task DrainAsync()
        {
            await Task.WhenAll(_inFlight).ConfigureAwait(false);
            _inFlight.Clear();
            _lastByPatient.Clear();
        }

        private async Task WriteAfterAsync(Task previous, string patientId, IReadOnlyCollection<LabResult> batch)
        {
            await previous.ConfigureAwait(false);
            await results.UpsertAsync(patientId, batch, ct).ConfigureAwait(false);
        }
    }

    private async Task<HashSet<string>> CollectIdsAsync(ILabFileSource source, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var raw = await source.OpenReadAsync(ct).ConfigureAwait(false);
        var (format, content) = LabFileFormatDetector.Detect(raw);
        await using var _ = content.ConfigureAwait(false);
        if (!_readers.TryGetValue(format, out var reader))
        {
            return ids;
        }

        try
        {
            foreach (var item in reader.Read(content, source.Name, ct))
            {
                if (item.Result is { } r && normalizer.Normalize(r, source.Name).Result is { } result)
                {
                    ids.Add(result.ResultId);
                }
            }
        }
        catch (LabFileFormatException)
        {
            // Already reported when the content was first processed.
        }

        return ids;
    }

    private static async Task<(string Sha256, long Size)> HashAsync(ILabFileSource source, CancellationToken ct)
    {
        await using var stream = await source.OpenReadAsync(ct).ConfigureAwait(false);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            size += n;
        }

        return (Convert.ToHexStringLower(sha.GetHashAndReset()), size);
    }
}

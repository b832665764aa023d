using System.Security.Cryptography;
using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Evaluation;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Ingests one lab file: hash → ledger claim → parse (<see cref="LabFileParser"/>: detect, read, normalise, streaming) →
/// store in per-patient batches (<see cref="PatientBatchWriter"/>) → one evaluation message per patient → ledger and
/// rejection report. Idempotent: the same content (under any name) is processed once; a crash part-way is finished by the
/// next delivery, and re-storing a result version rewrites the same row.
/// </summary>
public sealed class LabFileIngestionService(
    LabFileParser parser,
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
    private readonly int _maxErrors = options.Value.MaxErrorsReported;

    /// <summary>
    /// Ingests <paramref name="source"/> unless the ledger knows its content (then it is reported as a duplicate). Never
    /// throws for bad content; throws for storage failures (retry).
    /// </summary>
    public Task<IngestionReport> IngestAsync(ILabFileSource source, CancellationToken cancellationToken) =>
        RunAsync(source, replay: false, cancellationToken);

    /// <summary>Processes <paramref name="source"/> even when the ledger knows its content (replay after a configuration fix).</summary>
    public Task<IngestionReport> ReplayAsync(ILabFileSource source, CancellationToken cancellationToken) =>
        RunAsync(source, replay: true, cancellationToken);

    private async Task<IngestionReport> RunAsync(ILabFileSource source, bool replay, CancellationToken cancellationToken)
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

        if (!await ledger.TryBeginAsync(claim, cancellationToken).ConfigureAwait(false) && !replay)
        {
            var existing = await ledger.GetAsync(sha, cancellationToken).ConfigureAwait(false);
            if (existing is { Status: not IngestionStatus.Processing })
            {
                await ledger.RecordBlobAsync(source.Name, source.ETag, sha, cancellationToken).ConfigureAwait(false);
                Log.FileDuplicate(logger, source.Name, existing.File);
                return existing with { Status = IngestionStatus.Duplicate, DuplicateOf = existing.File, File = source.Name };
            }

            // Claimed but never finished: an earlier attempt died. Processing again is safe (every write is idempotent).
            Log.FileResumed(logger, source.Name);
        }

        // Every result of the file shares one arrival time (the line breaks ties).
        var report = await ProcessAsync(source, claim, claim.StartedAt, cancellationToken).ConfigureAwait(false);
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

    private async Task<IngestionReport> ProcessAsync(ILabFileSource source, IngestionReport claim, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var errors = new List<IngestionError>();
        var touched = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var writer = new PatientBatchWriter(results, ct);
        int rejected = 0, skipped = 0;
        var status = IngestionStatus.Processed;

        void AddError(IngestionError error)
        {
            rejected++;
            if (errors.Count < _maxErrors)
            {
                errors.Add(error);
            }
        }

        var file = await parser.OpenAsync(source, receivedAt, ct).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            try
            {
                foreach (var item in file.Items)
                {
                    if (item.Result is { } result)
                    {
                        touched[result.PatientId] = touched.GetValueOrDefault(result.PatientId) + 1;
                        await writer.AddAsync(result).ConfigureAwait(false);
                    }
                    else if (item.Error is { } error)
                    {
                        AddError(error);
                    }
                    else
                    {
                        skipped++;
                    }
                }
            }
            catch (LabFileFormatException ex)
            {
                // The file as a whole is unreadable. What was read before the fault is stored (idempotent re-runs).
                AddError(ex.Error);
                status = IngestionStatus.Rejected;
            }
        }

        var stored = await writer.CompleteAsync().ConfigureAwait(false);
        status = status == IngestionStatus.Rejected
            ? stored == 0 ? IngestionStatus.Rejected : IngestionStatus.Partial
            : rejected > 0 ? IngestionStatus.Partial : IngestionStatus.Processed;

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
            Format = file.Format,
            Status = status,
            Stored = stored,
            Rejected = rejected,
            Skipped = skipped,
            Patients = touched.Count,
            UnknownPatients = [.. unknown.Order(StringComparer.Ordinal)],
            Errors = errors,
            CompletedAt = time.GetUtcNow(),
        };
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

using System.Security.Cryptography;
using System.Text;
using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Ingests one lab file: hash → ledger claim → parse (<see cref="LabFileParser"/>: detect, read, normalise, streaming) →
/// store in per-patient batches (<see cref="PatientBatchWriter"/>) → one evaluation message per patient → ledger and
/// rejection report. Idempotent: the same content (under any name) is processed once; an attempt that died or failed is
/// resumed once its claim is older than the processing lease, and a file whose attempts all failed is completed as
/// rejected after <see cref="IngestionOptions.MaxAttempts"/>, so none stays "processing" for ever.
/// </summary>
public sealed class LabFileIngestionService(
    LabFileParser parser,
    ILabResultStore results,
    IPatientStore patients,
    IFileLedger ledger,
    ILabFileStore files,
    IPipelineQueue queue,
    UnknownPatientAlerts unknownPatients,
    RejectedFileAlerts rejectedFiles,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<LabFileIngestionService> logger)
{
    /// <summary>Longest <see cref="IngestionReport.LastError"/> kept (the ledger row has a size limit).</summary>
    internal const int MaxErrorText = 500;

    private readonly int _maxErrors = options.Value.MaxErrorsReported;
    private readonly TimeSpan _lease = options.Value.ProcessingLease;
    private readonly int _maxAttempts = options.Value.MaxAttempts;

    /// <summary>
    /// Ingests <paramref name="source"/> unless the ledger knows its content: a duplicate is reported as such, a claim of
    /// another attempt younger than the processing lease as <see cref="IngestionStatus.Processing"/> (in progress
    /// elsewhere), an older one is resumed. Never throws for bad content; throws for storage failures (retry).
    /// </summary>
    public Task<IngestionReport> IngestAsync(ILabFileSource source, CancellationToken cancellationToken) =>
        RunAsync(source, replay: false, cancellationToken);

    /// <summary>
    /// Processes <paramref name="source"/> even when the ledger knows its content (replay after a configuration fix, or of a
    /// file given up as rejected); its attempt count starts again.
    /// </summary>
    public Task<IngestionReport> ReplayAsync(ILabFileSource source, CancellationToken cancellationToken) =>
        RunAsync(source, replay: true, cancellationToken);

    /// <summary>
    /// When a claim in progress (<see cref="IngestionStatus.Processing"/>, as <see cref="IngestAsync"/> reports it) goes
    /// stale unless its attempt renews it: from then on the next attempt resumes the file.
    /// </summary>
    public DateTimeOffset ClaimGoesStaleAt(IngestionReport claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return claim.StartedAt + _lease;
    }

    private async Task<IngestionReport> RunAsync(ILabFileSource source, bool replay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var started = time.GetTimestamp();
        var (sha, size) = await HashAsync(source, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var claim = new IngestionReport
        {
            File = source.Name,
            ContentSha256 = sha,
            SizeBytes = size,
            Status = IngestionStatus.Processing,
            StartedAt = now,
            ReceivedAt = now,
            Attempts = 1,
        };

        if (!await ledger.TryBeginAsync(claim, cancellationToken).ConfigureAwait(false))
        {
            var existing = await ledger.GetAsync(sha, cancellationToken).ConfigureAwait(false);
            if (replay)
            {
                if (existing is not null)
                {
                    // Taken over whatever its state: concurrent attempts see a fresh claim. A concurrent change loses nothing.
                    // The content arrived when it was first claimed: re-stored rows keep that arrival.
                    claim = claim with { ReceivedAt = existing.ReceivedAt ?? existing.StartedAt };
                    await ledger.TryReplaceClaimAsync(existing, claim, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (existing is { Status: not IngestionStatus.Processing })
            {
                await ledger.RecordBlobAsync(source.Name, source.ETag, sha, cancellationToken).ConfigureAwait(false);
                Log.FileDuplicate(logger, source.Name, existing.File);
                return existing with { Status = IngestionStatus.Duplicate, DuplicateOf = existing.File, File = source.Name };
            }
            else if (existing is not null)
            {
                var age = claim.StartedAt - existing.StartedAt;
                if (age < _lease)
                {
                    Log.FileInProgress(logger, source.Name, existing.File, Math.Max(existing.Attempts, 1), age.TotalSeconds);
                    return existing with { File = source.Name };
                }

                var attempts = Math.Max(existing.Attempts, 1);
                if (attempts >= _maxAttempts)
                {
                    return await GiveUpAsync(source, existing, started, cancellationToken).ConfigureAwait(false);
                }

                // Claimed but not finished within the lease: that attempt died or failed. Processing again is safe (every
                // write is idempotent); of two hosts taking over at once, one wins the claim.
                claim = claim with { Attempts = attempts + 1, LastError = existing.LastError, ReceivedAt = existing.ReceivedAt ?? existing.StartedAt };
                if (!await ledger.TryReplaceClaimAsync(existing, claim, cancellationToken).ConfigureAwait(false))
                {
                    Log.FileInProgress(logger, source.Name, existing.File, claim.Attempts, 0);
                    return (await ledger.GetAsync(sha, cancellationToken).ConfigureAwait(false) ?? existing) with { File = source.Name };
                }

                Log.FileResumed(logger, source.Name, claim.Attempts);
            }
        }

        // The claim is renewed while this attempt works: a crash leaves it stale one lease later, whatever the file's size.
        await using var keeper = new ClaimKeeper(ledger, claim, _lease / 3, time, logger);
        IngestionReport report;
        try
        {
            // Every result of the file carries its arrival (the line breaks ties); a resumed attempt re-stores the same rows.
            report = await ProcessAsync(source, claim, claim.ReceivedAt ?? claim.StartedAt, cancellationToken).ConfigureAwait(false);
            await keeper.StopAsync().ConfigureAwait(false);
            if (report.Rejected > 0 || report.Status == IngestionStatus.Rejected)
            {
                await files.SaveRejectionAsync(source, report, cancellationToken).ConfigureAwait(false);
            }

            await ledger.CompleteAsync(report, cancellationToken).ConfigureAwait(false);
            await ledger.RecordBlobAsync(source.Name, source.ETag, sha, cancellationToken).ConfigureAwait(false);
            await rejectedFiles.ReportAsync(report, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await keeper.StopAsync().ConfigureAwait(false);
            var failed = keeper.Current with { LastError = Describe(ex) };
            Log.FileFailed(logger, source.Name, failed.Attempts, _maxAttempts, ex.GetType().Name);
            if (failed.Attempts >= _maxAttempts && await TryGiveUpAsync(source, failed, started).ConfigureAwait(false) is { } rejected)
            {
                return rejected;
            }

            await TryRecordFailureAsync(failed).ConfigureAwait(false);
            throw;
        }

        Log.FileIngested(logger, source.Name, report.Format.ToString(), report.Status.ToString(), report.Stored, report.Rejected, report.Skipped,
            report.Patients, time.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    private async Task<IngestionReport> ProcessAsync(ILabFileSource source, IngestionReport claim, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var errors = new List<IngestionError>();
        var warnings = new List<IngestionError>();
        var skips = new SkipTally();
        var touched = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var writer = new PatientBatchWriter(results, ct);
        var rejected = 0;
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
                        if (item.Warning is { } warning && warnings.Count < _maxErrors)
                        {
                            warnings.Add(warning);
                        }
                    }
                    else if (item.Error is { } error)
                    {
                        AddError(error);
                    }
                    else if (item.Skipped is { } skipped)
                    {
                        skips.Add(skipped);
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
        // Rejected: nothing of the file stored while something of it was refused (unreadable, or every result rejected);
        // partial: some stored, some rejected.
        status = status == IngestionStatus.Rejected || rejected > 0
            ? stored == 0 ? IngestionStatus.Rejected : IngestionStatus.Partial
            : IngestionStatus.Processed;

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
            Skipped = skips.Total,
            SkippedBy = skips.Summaries(),
            Warnings = warnings,
            Patients = touched.Count,
            UnknownPatients = [.. unknown.Order(StringComparer.Ordinal)],
            Errors = errors,
            CompletedAt = time.GetUtcNow(),
        };
    }

    /// <summary>
    /// Completes a file whose every attempt failed as rejected: its report (in <c>lab-results-rejected</c> with the original)
    /// says how many attempts failed and the last error; it is never "processing" again until replayed.
    /// </summary>
    private async Task<IngestionReport> GiveUpAsync(ILabFileSource source, IngestionReport last, long started, CancellationToken ct)
    {
        var attempts = Math.Max(last.Attempts, 1);
        var reason = last.LastError is { } error
            ? $"ingestion failed {attempts} time(s); the last attempt failed with {error}"
            : $"ingestion was attempted {attempts} time(s) and never finished (the last attempt stopped without reporting an error)";
        var report = last with
        {
            File = source.Name,
            Status = IngestionStatus.Rejected,
            Rejected = Math.Max(last.Rejected, 1),
            Errors = [new IngestionError(null, null, null, reason + "; results stored by the attempts stay; 'cartlab replay' processes the file again")],
            CompletedAt = time.GetUtcNow(),
        };
        await files.SaveRejectionAsync(source, report, ct).ConfigureAwait(false);
        await ledger.CompleteAsync(report, ct).ConfigureAwait(false);
        await ledger.RecordBlobAsync(source.Name, source.ETag, report.ContentSha256, ct).ConfigureAwait(false);
        await rejectedFiles.ReportAsync(report, ct).ConfigureAwait(false);
        Log.FileGivenUp(logger, source.Name, attempts, time.GetElapsedTime(started).TotalMilliseconds);
        return report;
    }

    private async Task<IngestionReport?> TryGiveUpAsync(ILabFileSource source, IngestionReport failed, long started)
    {
        try
        {
            return await GiveUpAsync(source, failed, started, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Storage refuses this too: the claim stays, and the next attempt after the lease gives the file up.
            Log.FileFailed(logger, source.Name, failed.Attempts, _maxAttempts, ex.GetType().Name);
            await TryRecordFailureAsync(failed).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// Best effort: the failed attempt's error on its claim (the same claim: status, start and attempts unchanged, so the
    /// lease still runs), for the report if the file is given up.
    /// </summary>
    private async Task TryRecordFailureAsync(IngestionReport failed)
    {
        try
        {
            await ledger.TryReplaceClaimAsync(failed, failed, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.FileFailureNotRecorded(logger, failed.File, ex.GetType().Name);
        }
    }

    /// <summary>The exception's type and message, on one line, without the response content storage errors append.</summary>
    internal static string Describe(Exception exception)
    {
        var message = exception.Message;
        foreach (var marker in new[] { "\nContent:", "\nHeaders:" })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        var text = new StringBuilder(exception.GetType().FullName).Append(": ");
        foreach (var c in message)
        {
            if (!char.IsControl(c) || c is '\n')
            {
                text.Append(c == '\n' ? ' ' : c);
            }
        }

        var s = text.ToString().Trim();
        return s.Length > MaxErrorText ? s[..MaxErrorText] + "…" : s;
    }

    /// <summary>
    /// Renews an attempt's claim every <c>interval</c> (the claim's <see cref="IngestionReport.StartedAt"/> moves to now,
    /// compared atomically with the row) until stopped. A refused renewal means another attempt took the file over: this one
    /// stops renewing and finishes anyway (every write is idempotent). A failed renewal (storage down) is tried again.
    /// </summary>
    private sealed class ClaimKeeper : IAsyncDisposable
    {
        private readonly IFileLedger _ledger;
        private readonly TimeSpan _interval;
        private readonly TimeProvider _time;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private IngestionReport _current;

        public ClaimKeeper(IFileLedger ledger, IngestionReport claim, TimeSpan interval, TimeProvider time, ILogger logger)
        {
            (_ledger, _current, _interval, _time, _logger) = (ledger, claim, interval, time, logger);
            _loop = RenewAsync(); // the first delay starts before the attempt reads the file
        }

        /// <summary>The claim as the ledger holds it (after the last successful renewal).</summary>
        public IngestionReport Current => Volatile.Read(ref _current);

        public async Task StopAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await _stop.CancelAsync().ConfigureAwait(false);
            }

            await _loop.ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync().ConfigureAwait(false);
            _stop.Dispose();
        }

        private async Task RenewAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_interval, _time, _stop.Token).ConfigureAwait(false);
                    var renewed = _current with { StartedAt = _time.GetUtcNow() };
                    if (!await _ledger.TryReplaceClaimAsync(_current, renewed, _stop.Token).ConfigureAwait(false))
                    {
                        Log.FileClaimLost(_logger, _current.File);
                        return;
                    }

                    Volatile.Write(ref _current, renewed);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    Log.FileClaimRenewalFailed(_logger, _current.File, ex.GetType().Name);
                }
            }
        }
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

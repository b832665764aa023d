using CarTLabPipeline.Alerts;
using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Evaluation;

/// <summary>
/// Evaluates one patient: enrollment + the current record (every stored version resolved) → rules → the alert set.
/// After it, the open alerts are exactly what the rules give on the current record and enrollment, with the content they
/// give: a new alert is stored insert-if-absent under its deterministic id and notified; a stored one whose content
/// changed (a corrected value, a new severity, a new infusion date) gets a new revision and one update notice; one the
/// record no longer supports is retracted with its precise reason; a retracted one that holds again is reopened as an
/// update. Idempotent: running it again changes nothing and notifies nothing twice.
/// A record of more than <see cref="EvaluationOptions.MaxRecordVersions"/> versions is not read further and not evaluated:
/// ops are told (<see cref="RecordTooLarge"/>), and the patient's alerts stay as they are.
/// </summary>
public sealed class PatientEvaluationService(
    IPatientStore patients,
    PatientRecordReader records,
    IAlertStore alerts,
    AlertOutbox outbox,
    RuleEngine engine,
    IOptions<NotificationOptions> notificationOptions,
    TimeProvider time,
    ILogger<PatientEvaluationService> logger)
{
    /// <summary>Concurrent changes of one alert row tolerated before the evaluation gives up (it is retried).</summary>
    private const int MaxConflicts = 10;

    /// <summary>Handles a <c>patient-evaluations</c> message body.</summary>
    /// <exception cref="PermanentPipelineException">The message is not an evaluation request (it goes to the poison queue at once).</exception>
    public Task<EvaluationOutcome> HandleMessageAsync(string message, CancellationToken cancellationToken)
    {
        var request = PipelineJson.ReadMessage<EvaluationRequest>(message, "a patient-evaluations message must be {\"patientId\":\"…\",\"reason\":\"…\"}",
            r => !string.IsNullOrWhiteSpace(r.PatientId));
        return EvaluateAsync(request.PatientId, newResults: request.Reason == EvaluationRequest.ReasonResults, cancellationToken);
    }

    /// <summary>
    /// The alerts the rules produce for the patient's results collected up to <paramref name="asOf"/>, judged at that time.
    /// Nothing is stored or sent (demos, tests, "what would have fired").
    /// </summary>
    /// <returns>The alerts; or not enrolled, or a record too large to read (<see cref="PatientRecordReader"/>).</returns>
    public async Task<PatientQuery<IReadOnlyList<Alert>>> PreviewAsync(string patientId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var enrollment = await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (enrollment is null)
        {
            return PatientQuery<IReadOnlyList<Alert>>.NotEnrolled(patientId);
        }

        return await records.ReadAsync(patientId, sources: false, read => read.TooLarge
            ? PatientQuery<IReadOnlyList<Alert>>.RecordTooLarge(patientId, read.Limit)
            : PatientQuery<IReadOnlyList<Alert>>.Answered(patientId, engine.Evaluate(enrollment, read.Versions.Where(r => r.CollectedAt <= asOf), asOf, preview: true)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Evaluates the patient now (the record is read whatever an earlier evaluation found).</summary>
    public Task<EvaluationOutcome> EvaluateAsync(string patientId, CancellationToken cancellationToken) =>
        EvaluateAsync(patientId, newResults: false, cancellationToken);

    /// <param name="patientId">The patient.</param>
    /// <param name="newResults">
    /// True when results arrived (a file, a queued result): a record already found too large for the current limit is
    /// not read again — results only add to it. False (monitoring, enrollment, a treatment event, by hand): it is read,
    /// so rows removed from the table by hand are seen.
    /// </param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    private async Task<EvaluationOutcome> EvaluateAsync(string patientId, bool newResults, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var enrollment = await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (enrollment is null)
        {
            Log.PatientNotEnrolled(logger, patientId);
            return new EvaluationOutcome(patientId, false, 0, 0, 0, 0);
        }

        var stored = (await alerts.ListForPatientAsync(patientId, cancellationToken).ConfigureAwait(false))
            .ToDictionary(a => a.Alert.AlertId, StringComparer.Ordinal);

        // A record found too large stays too large when results are only added: while the ops alert says so for this very
        // limit, new results do not read it again — a misrouted feed sends file after file, and each read would be limit + 1
        // rows. A changed limit (an operator raised it), the daily monitoring run and `cartlab monitor` read it again.
        var limit = records.Limit;
        var refused = stored.GetValueOrDefault(RecordTooLarge.AlertId(patientId));
        if (newResults && RecordTooLarge.StillHolds(refused, limit))
        {
            return await RefuseAsync(enrollment, limit, refused, cancellationToken).ConfigureAwait(false);
        }

        // The record as evaluation reads it (without the per-version texts no rule reads), read only up to the limit: a record
        // that holds more is not evaluated (no guess from part of it) and ops are told. Held until the alerts are stored.
        return await records.ReadAsync(patientId, sources: false, read => read.TooLarge
            ? RefuseAsync(enrollment, read.Limit, refused, cancellationToken)
            : EvaluateAsync(enrollment, read.Versions, stored, started, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The rules over the record, and the alert set brought in line with what they give.</summary>
    private async Task<EvaluationOutcome> EvaluateAsync(Enrollment enrollment, IReadOnlyList<LabResult> versions, Dictionary<string, StoredAlert> stored, long started,
        CancellationToken cancellationToken)
    {
        var patientId = enrollment.PatientId;

        // Resolved once: the rules judge its current versions as they stand (a 100,000-result record is not indexed a second time).
        var record = LabRecord.Resolve(versions);
        var now = time.GetUtcNow();
        IReadOnlyList<Alert> produced = [.. engine.Evaluate(enrollment, record, now), .. UnmatchedWithdrawals.For(record, enrollment, now)];
        int raised = 0, updated = 0, unchanged = 0, retracted = 0;
        foreach (var alert in produced)
        {
            switch (await ApplyAsync(alert, stored.GetValueOrDefault(alert.AlertId), enrollment, now, cancellationToken).ConfigureAwait(false))
            {
                case Applied.Raised:
                    raised++;
                    Log.AlertRaised(logger, alert.AlertId, alert.RuleId, patientId);
                    break;
                case Applied.Updated:
                    updated++;
                    Log.AlertUpdated(logger, alert.AlertId, alert.RuleId, patientId);
                    break;
                default:
                    unchanged++;
                    break;
            }
        }

        var producedIds = produced.Select(a => a.AlertId).ToHashSet(StringComparer.Ordinal);
        foreach (var old in stored.Values.Where(a => !producedIds.Contains(a.Alert.AlertId) && IsJudgedByTheRules(a.Alert)))
        {
            if (old.Alert.Status == AlertStatus.Retracted)
            {
                await NudgeIfStalledAsync(old, now, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var successor = AlertRevisions.Successor(old.Alert, produced, stored.Keys.ToHashSet(StringComparer.Ordinal));
            if (await RetractAsync(old, record, enrollment, successor, now, cancellationToken).ConfigureAwait(false))
            {
                retracted++;
                Log.AlertRetracted(logger, old.Alert.AlertId, old.Alert.RuleId, patientId);
            }
        }

        Log.PatientEvaluated(logger, patientId, record.Current.Count, raised, retracted, unchanged, time.GetElapsedTime(started).TotalMilliseconds);
        return new EvaluationOutcome(patientId, true, record.Current.Count, raised, retracted, unchanged) { Updated = updated };
    }

    /// <summary>
    /// The record holds more than <paramref name="limit"/> versions: the rules do not run, no alert of the patient is
    /// updated or retracted, and ops get one <see cref="RecordTooLarge"/> alert (the same id every time; a re-delivery or the
    /// next file changes nothing, a retracted one is raised again as an update).
    /// </summary>
    private async Task<EvaluationOutcome> RefuseAsync(Enrollment enrollment, int limit, StoredAlert? stored, CancellationToken ct)
    {
        var patientId = enrollment.PatientId;
        var now = time.GetUtcNow();
        var since = stored is { Alert.Status: not AlertStatus.Retracted } open ? open.Alert.ObservedAt : now;
        var alert = RecordTooLarge.For(patientId, limit, since, now);
        var applied = await ApplyAsync(alert, stored, enrollment, now, ct).ConfigureAwait(false);
        Log.RecordTooLarge(logger, patientId, limit, alert.AlertId);
        return new EvaluationOutcome(patientId, true, 0, applied == Applied.Raised ? 1 : 0, 0, applied == Applied.Unchanged ? 1 : 0)
        {
            Updated = applied == Applied.Updated ? 1 : 0,
            RecordTooLarge = true,
            MaxRecordVersions = limit,
        };
    }

    /// <summary>
    /// Alerts the evaluation answers for: every care-team alert, the unknown-patient alert (the enrollment ends it), the
    /// unmatched-withdrawal alert (the withdrawn result's arrival ends it) and the record-too-large alert (an evaluation
    /// ends it). Other ops alerts stored under the patient (<c>delivery.failed</c>) are not the rules' to retract.
    /// </summary>
    private static bool IsJudgedByTheRules(Alert alert) =>
        alert.Audience == AlertAudience.CareTeam || alert.RuleId is UnknownPatientAlerts.RuleId or UnmatchedWithdrawals.RuleId or RecordTooLarge.RuleId;

    private enum Applied
    {
        Unchanged,
        Raised,
        Updated,
    }

    /// <summary>Brings one produced alert into the store: insert, new revision, silent refresh, or nothing.</summary>
    private async Task<Applied> ApplyAsync(Alert alert, StoredAlert? existing, Enrollment enrollment, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            if (existing is null)
            {
                if (await outbox.TryRaiseAsync(alert, enrollment, ct).ConfigureAwait(false))
                {
                    return Applied.Raised;
                }

                // Another evaluation inserted it a moment ago: compare with what it stored.
                existing = await alerts.GetAsync(alert.PatientId, alert.AlertId, ct).ConfigureAwait(false);
                continue;
            }

            var difference = existing.Alert.Status == AlertStatus.Retracted ? AlertDifference.Clinical : AlertRevisions.Compare(existing.Alert, alert);
            if (difference == AlertDifference.None)
            {
                await NudgeIfStalledAsync(existing, now, ct).ConfigureAwait(false);
                return Applied.Unchanged;
            }

            var next = difference == AlertDifference.Clinical ? AlertRevisions.Revise(existing.Alert, alert, now, enrollment) : AlertRevisions.Refresh(existing.Alert, alert);
            if (await outbox.TryReviseAsync(existing, next, enrollment, ct).ConfigureAwait(false))
            {
                return difference == AlertDifference.Clinical ? Applied.Updated : Applied.Unchanged;
            }

            existing = await alerts.GetAsync(alert.PatientId, alert.AlertId, ct).ConfigureAwait(false);
        }

        throw TransientPipelineException.Contended($"alert {alert.AlertId}", MaxConflicts);
    }

    private async Task<bool> RetractAsync(StoredAlert old, LabRecord record, Enrollment enrollment, Alert? successor, DateTimeOffset now, CancellationToken ct)
    {
        var row = old;
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            var reason = AlertRevisions.RetractionReason(row.Alert, record, enrollment);
            if (await outbox.TryReviseAsync(row, AlertRevisions.Retract(row.Alert, reason, now, successor), enrollment, ct).ConfigureAwait(false))
            {
                return true;
            }

            row = await alerts.GetAsync(old.Alert.PatientId, old.Alert.AlertId, ct).ConfigureAwait(false);
            if (row is null || row.Alert.Status == AlertStatus.Retracted)
            {
                return false;
            }
        }

        throw TransientPipelineException.Contended($"alert {old.Alert.AlertId}", MaxConflicts);
    }

    /// <summary>
    /// Crash recovery: a notice stored but never handled (the notification message was lost) is queued again — only when
    /// it is overdue by a claim lease, so evaluations do not multiply notification messages.
    /// </summary>
    private async Task NudgeIfStalledAsync(StoredAlert row, DateTimeOffset now, CancellationToken ct)
    {
        var lease = notificationOptions.Value.ClaimLease;
        var since = row.Alert.UpdatedAt ?? row.Alert.CreatedAt;
        var stalled = row.Deliveries.Values.Any(d => d.State switch
        {
            DeliveryState.Pending => (d.NotBefore ?? since) + lease < now,
            DeliveryState.Sending => d.ClaimedAt is { } claimed && claimed + lease < now,
            _ => false,
        });
        if (stalled)
        {
            await outbox.NotifyAsync(row.Alert, ct).ConfigureAwait(false);
        }
    }
}

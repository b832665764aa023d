using CarTLabPipeline.Alerts;
using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Notifications;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Evaluation;

/// <summary>Outcome of one evaluation.</summary>
public sealed record EvaluationOutcome(string PatientId, bool Enrolled, int Results, int Raised, int Retracted, int Unchanged);

/// <summary>
/// Evaluates one patient: enrollment + whole history → rules → alerts stored insert-if-absent under their deterministic
/// ids → one notification per new alert. Alerts stored earlier that the history no longer supports are retracted (and the
/// retraction is notified). Idempotent: running it again changes nothing and notifies nothing twice.
/// </summary>
public sealed class PatientEvaluationService(
    IPatientStore patients,
    ILabResultStore results,
    IAlertStore alerts,
    AlertOutbox outbox,
    RuleEngine engine,
    TimeProvider time,
    ILogger<PatientEvaluationService> logger)
{
    /// <summary>Handles a <c>patient-evaluations</c> message body.</summary>
    /// <exception cref="FormatException">The message is not an evaluation request (it goes to the poison queue).</exception>
    public Task<EvaluationOutcome> HandleMessageAsync(string message, CancellationToken cancellationToken)
    {
        var request = PipelineJson.Deserialize<EvaluationRequest>(message);
        if (request is null || string.IsNullOrWhiteSpace(request.PatientId))
        {
            throw new FormatException("a patient-evaluations message must be {\"patientId\":\"…\",\"reason\":\"…\"}");
        }

        return EvaluateAsync(request.PatientId, cancellationToken);
    }

    /// <summary>
    /// The alerts the rules produce for the patient's results collected up to <paramref name="asOf"/>, judged at that time.
    /// Nothing is stored or sent (demos, tests, "what would have fired").
    /// </summary>
    /// <returns>Null when the patient is not enrolled.</returns>
    public async Task<IReadOnlyList<Alert>?> PreviewAsync(string patientId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var enrollment = await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (enrollment is null)
        {
            return null;
        }

        var history = await results.GetVersionsAsync(patientId, cancellationToken).ConfigureAwait(false);
        return engine.Evaluate(enrollment, history.Where(r => r.CollectedAt <= asOf), asOf, preview: true);
    }

    public async Task<EvaluationOutcome> EvaluateAsync(string patientId, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var enrollment = await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (enrollment is null)
        {
            Log.PatientNotEnrolled(logger, patientId);
            return new EvaluationOutcome(patientId, false, 0, 0, 0, 0);
        }

        var history = await results.GetVersionsAsync(patientId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var produced = engine.Evaluate(enrollment, history, now);
        var stored = (await alerts.ListForPatientAsync(patientId, cancellationToken).ConfigureAwait(false))
            .ToDictionary(a => a.Alert.AlertId, StringComparer.Ordinal);

        int raised = 0, unchanged = 0, retracted = 0;
        foreach (var alert in produced)
        {
            if (!stored.TryGetValue(alert.AlertId, out var existing))
            {
                if (await outbox.TryRaiseAsync(alert, enrollment, cancellationToken).ConfigureAwait(false))
                {
                    raised++;
                    Log.AlertRaised(logger, alert.AlertId, alert.RuleId, patientId);
                    continue;
                }

                // Another evaluation inserted it a moment ago: it notifies.
                unchanged++;
                continue;
            }

            if (existing.Alert.Status == AlertStatus.Retracted)
            {
                // Supported again (e.g. a withdrawal was itself corrected): reopen and notify once more.
                var reopened = existing.Alert with { Status = AlertStatus.Open, RetractedAt = null, RetractionReason = null };
                var deliveries = Merge(existing.Deliveries, outbox.NewDeliveries(reopened, AlertEvents.Raised, enrollment), reset: true);
                if (await alerts.TryUpdateAsync(reopened, deliveries, existing.ETag, cancellationToken).ConfigureAwait(false) is not null)
                {
                    raised++;
                    await outbox.NotifyAsync(reopened, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            unchanged++;
            if (existing.Deliveries.Values.Any(d => d.State is DeliveryState.Pending or DeliveryState.Sending))
            {
                // Crash recovery: stored but the notification may never have been queued. The dispatcher is idempotent.
                await outbox.NotifyAsync(existing.Alert, cancellationToken).ConfigureAwait(false);
            }
        }

        var producedIds = produced.Select(a => a.AlertId).ToHashSet(StringComparer.Ordinal);
        var currentIds = history.Where(r => r.IsEvaluable).Select(r => r.ResultId).ToHashSet(StringComparer.Ordinal);
        foreach (var old in stored.Values.Where(a => a.Alert.Status != AlertStatus.Retracted && !producedIds.Contains(a.Alert.AlertId)))
        {
            var reason = RetractionReason(old.Alert, currentIds);
            var updated = old.Alert with { Status = AlertStatus.Retracted, RetractedAt = now, RetractionReason = reason };
            var deliveries = Merge(old.Deliveries, outbox.NewDeliveries(updated, AlertEvents.Retracted, enrollment), reset: false);
            if (await alerts.TryUpdateAsync(updated, deliveries, old.ETag, cancellationToken).ConfigureAwait(false) is not null)
            {
                retracted++;
                Log.AlertRetracted(logger, old.Alert.AlertId, old.Alert.RuleId, patientId);
                await outbox.NotifyAsync(updated, cancellationToken).ConfigureAwait(false);
            }
        }

        Log.PatientEvaluated(logger, patientId, history.Count, raised, retracted, unchanged, time.GetElapsedTime(started).TotalMilliseconds);
        return new EvaluationOutcome(patientId, true, history.Count, raised, retracted, unchanged);
    }

    private static string RetractionReason(Alert alert, HashSet<string> currentIds)
    {
        if (alert.RuleId == UnknownPatientAlerts.RuleId)
        {
            return "the patient has been enrolled";
        }

        if (alert.RuleId == Rules.Monitoring.MonitoringOverdueRule.RuleId)
        {
            return "an MRD result inside the assessment window is now on record";
        }

        var missing = alert.Evidence.Where(e => e.Role == EvidenceRoles.Trigger && !currentIds.Contains(e.ResultId)).ToList();
        return missing.Count > 0
            ? $"the {missing[0].Analyte} result of day {ClinicalText.Day(missing[0].DayPostInfusion)} it rested on was withdrawn or is no longer final"
            : "the patient's full history no longer supports it (a result was corrected, or earlier results arrived)";
    }

    private static Dictionary<string, Delivery> Merge(IReadOnlyDictionary<string, Delivery> existing, Dictionary<string, Delivery> added, bool reset)
    {
        var merged = new Dictionary<string, Delivery>(existing, StringComparer.Ordinal);
        foreach (var (key, delivery) in added)
        {
            if (reset || !merged.ContainsKey(key))
            {
                merged[key] = delivery;
            }
        }

        return merged;
    }
}

using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Patients;

/// <summary>Enrolls (or updates) a patient and asks for an evaluation of the results already stored.</summary>
public sealed class EnrollmentService(IPatientStore patients, IPipelineQueue queue, TimeProvider time, ILogger<EnrollmentService> logger)
{
    /// <summary>Concurrent changes of one enrollment tolerated before recording an event gives up.</summary>
    private const int MaxConflicts = 10;

    /// <summary>Parses an enrollment JSON document (docs/design.md §4).</summary>
    /// <exception cref="EnrollmentValidationException">The JSON is malformed or the enrollment invalid.</exception>
    public static Enrollment Parse(string json)
    {
        Enrollment? enrollment;
        try
        {
            enrollment = PipelineJson.Deserialize<Enrollment>(json);
        }
        catch (JsonException ex)
        {
            throw new EnrollmentValidationException($"not a valid enrollment JSON document: {PipelineJson.Describe(ex)}", ex);
        }

        return enrollment ?? throw new EnrollmentValidationException("the enrollment document is empty");
    }

    /// <summary>
    /// Validates, de-duplicates the care team and the events, stores, and queues an evaluation. A document without
    /// <c>events</c> keeps the events already stored; a list replaces them.
    /// </summary>
    /// <exception cref="EnrollmentValidationException">The enrollment is invalid; nothing was stored.</exception>
    public async Task<Enrollment> EnrollAsync(Enrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var invalid = EnrollmentValidator.Validate(enrollment, time.GetUtcNow()); // the document as sent, before any storage call
        if (invalid.Count > 0)
        {
            throw new EnrollmentValidationException(invalid);
        }

        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            // Under the row's ETag: an event recorded meanwhile is kept, not overwritten by a document without events.
            var found = await patients.GetForUpdateAsync(enrollment.PatientId ?? string.Empty, cancellationToken).ConfigureAwait(false);
            var document = !enrollment.HasEvents && found is not null ? enrollment with { Events = found.Enrollment.Events } : enrollment;
            var errors = document == enrollment ? [] : EnrollmentValidator.Validate(document, time.GetUtcNow()); // stored events vs a new infusion date
            if (errors.Count > 0)
            {
                throw new EnrollmentValidationException(errors);
            }

            var clean = EnrollmentValidator.WithOrderedEvents(EnrollmentValidator.WithDistinctCareTeam(document)) with
            {
                EnrolledAt = found?.Enrollment.EnrolledAt ?? document.EnrolledAt ?? time.GetUtcNow(),
            };
            if (found is null)
            {
                await patients.UpsertAsync(clean, cancellationToken).ConfigureAwait(false);
            }
            else if (!await patients.TryReplaceAsync(clean, found.ETag, cancellationToken).ConfigureAwait(false))
            {
                continue; // changed since it was read: read again
            }

            await queue.SendAsync(PipelineNames.Queues.PatientEvaluations,
                new EvaluationRequest(clean.PatientId, EvaluationRequest.ReasonEnrollment), null, cancellationToken).ConfigureAwait(false);
            Log.PatientEnrolled(logger, clean.PatientId, clean.CareTeam.Count);
            return clean;
        }

        throw new TransientPipelineException($"the enrollment of {enrollment.PatientId} changed concurrently {MaxConflicts} times; enroll again");
    }

    /// <summary>
    /// Records a treatment event on an enrolled patient and queues a re-evaluation, as an enrollment does. Idempotent: an
    /// event with the same identity (kind + date + detail) and content is already present and changes nothing; with the
    /// same identity and another grade or note it replaces the stored one.
    /// </summary>
    /// <returns>Null when the patient is not enrolled.</returns>
    /// <exception cref="EnrollmentValidationException">The event is invalid (or contradicts the stored ones); nothing was stored.</exception>
    public async Task<EventAddResult?> AddEventAsync(string patientId, TreatmentEvent treatmentEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(treatmentEvent);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            // Read-modify-write under the row's ETag: two events recorded at once both stay.
            var found = await patients.GetForUpdateAsync(patientId, cancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                return null;
            }

            var (existing, etag) = found;
            var same = existing.Events.FirstOrDefault(e => e.Key == treatmentEvent.Key);
            if (same is not null && same.Grade == treatmentEvent.Grade && same.Note == treatmentEvent.Note)
            {
                return new EventAddResult(EventAddOutcome.AlreadyPresent, existing, same);
            }

            // The new event first, so its problems are named "event"; the stored ones keep their positions after it.
            var candidate = existing with { Events = [treatmentEvent, .. existing.Events.Where(e => e.Key != treatmentEvent.Key)] };
            var errors = EnrollmentValidator.ValidateEvents(candidate, time.GetUtcNow());
            if (errors.Count > 0)
            {
                throw new EnrollmentValidationException([.. errors.Select(e => new ValidationResult(
                    Rename(e.ErrorMessage), [.. e.MemberNames.Select(Rename)]))]);
            }

            var stored = EnrollmentValidator.WithOrderedEvents(candidate);
            if (!await patients.TryReplaceAsync(stored, etag, cancellationToken).ConfigureAwait(false))
            {
                continue; // changed since it was read: read again
            }

            await queue.SendAsync(PipelineNames.Queues.PatientEvaluations,
                new EvaluationRequest(patientId, EvaluationRequest.ReasonEvent), null, cancellationToken).ConfigureAwait(false);
            Log.TreatmentEventRecorded(logger, patientId, treatmentEvent.KindName);
            return new EventAddResult(same is null ? EventAddOutcome.Added : EventAddOutcome.Updated, stored, treatmentEvent);
        }

        throw new TransientPipelineException($"the enrollment of {patientId} changed concurrently {MaxConflicts} times; record the event again");

        static string Rename(string? text) => (text ?? string.Empty).Replace("events[0]", "event", StringComparison.Ordinal);
    }
}

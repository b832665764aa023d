using System.Text.Json;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Diagnostics;
using CarTLabPipeline.Ports;
using Microsoft.Extensions.Logging;

namespace CarTLabPipeline.Patients;

/// <summary>Enrolls (or updates) a patient and asks for an evaluation of the results already stored.</summary>
public sealed class EnrollmentService(IPatientStore patients, IPipelineQueue queue, TimeProvider time, ILogger<EnrollmentService> logger)
{
    /// <summary>Parses an enrollment JSON document (DESIGN §4).</summary>
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
            throw new EnrollmentValidationException($"not a valid enrollment JSON document: {ex.Message}", ex);
        }

        return enrollment ?? throw new EnrollmentValidationException("the enrollment document is empty");
    }

    /// <summary>Validates, de-duplicates the care team, stores, and queues an evaluation.</summary>
    /// <exception cref="EnrollmentValidationException">The enrollment is invalid; nothing was stored.</exception>
    public async Task<Enrollment> EnrollAsync(Enrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var errors = EnrollmentValidator.Validate(enrollment);
        if (errors.Count > 0)
        {
            throw new EnrollmentValidationException(errors);
        }

        var existing = await patients.GetAsync(enrollment.PatientId, cancellationToken).ConfigureAwait(false);
        var clean = EnrollmentValidator.WithDistinctCareTeam(enrollment) with
        {
            EnrolledAt = existing?.EnrolledAt ?? enrollment.EnrolledAt ?? time.GetUtcNow(),
        };
        await patients.UpsertAsync(clean, cancellationToken).ConfigureAwait(false);
        await queue.SendAsync(PipelineNames.Queues.PatientEvaluations,
            new EvaluationRequest(clean.PatientId, EvaluationRequest.ReasonEnrollment), null, cancellationToken).ConfigureAwait(false);
        Log.PatientEnrolled(logger, clean.PatientId, clean.CareTeam.Count);
        return clean;
    }
}

using System.Globalization;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.MonitoringOverdue;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Evaluation;

/// <summary>
/// A patient's follow-up schedule now: what is due, done and overdue (the same reading as <c>monitoring.overdue</c>,
/// <see cref="FollowUpSchedule"/>), counted from the current follow-up's day 0.
/// </summary>
public sealed class ScheduleQueryService(IPatientStore patients, PatientRecordReader records, IOptions<MonitoringOverdueOptions> options, TimeProvider time)
{
    /// <returns>The schedule, every timepoint in day order; or not enrolled, or a record too large to read (<see cref="PatientRecordReader"/>).</returns>
    public async Task<PatientQuery<PatientSchedule>> GetScheduleAsync(string patientId, CancellationToken cancellationToken)
    {
        var enrollment = await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (enrollment is null)
        {
            return PatientQuery<PatientSchedule>.NotEnrolled(patientId);
        }

        return await records.ReadAsync(patientId, sources: false, read => read.TooLarge
            ? PatientQuery<PatientSchedule>.RecordTooLarge(patientId, read.Limit)
            : PatientQuery<PatientSchedule>.Answered(patientId, Schedule(enrollment, LabRecord.Resolve(read.Versions))), cancellationToken).ConfigureAwait(false);
    }

    private PatientSchedule Schedule(Enrollment enrollment, LabRecord record)
    {
        var patientId = enrollment.PatientId;
        var now = time.GetUtcNow();
        var context = new RuleContext(enrollment, record.Current, now, enrollment.EnrolledAt);
        var lines = FollowUpSchedule.Evaluate(context, options.Value)
            .OrderBy(t => t.Day).ThenBy(t => t.Check.Key, StringComparer.Ordinal)
            .Select(t => new ScheduleLine(
                t.Name,
                t.Check.Name,
                t.Day,
                $"day {ClinicalText.Day(t.From)} … {ClinicalText.Day(t.To)} ({Iso(context.DateOf(t.From))} – {Iso(context.DateOf(t.To))})",
                t.Status.ToString().ToLowerInvariant(),
                t.CollectedBy is { } r
                    ? $"day {ClinicalText.Day(context.Day(r))} ({ClinicalText.Date(context, r)}){(r.IsEvaluable ? string.Empty : ", " + r.Status.ToString().ToLowerInvariant())}"
                    : null))
            .ToList();
        var today = enrollment.LocalDate(now);
        return new PatientSchedule(patientId, context.DayZero, context.FollowUp.Describe(), today, context.DayOf(today),
            enrollment.EnrolledAt is { } since ? enrollment.LocalDate(since) : null, context.IsCarTFollowUp, lines);
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

using System.Globalization;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.MonitoringOverdue;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Evaluation;

/// <summary>
/// A patient's follow-up schedule now: what is due, done and overdue (the same reading as <c>monitoring.overdue</c>,
/// <see cref="FollowUpSchedule"/>), counted from the current follow-up's day 0.
/// </summary>
public sealed class ScheduleQueryService(IPatientStore patients, ILabResultStore results, IOptions<MonitoringOverdueOptions> options, TimeProvider time)
{
    /// <returns>Null when the patient is not enrolled; otherwise every timepoint in day order.</returns>
    public async Task<IReadOnlyList<ScheduleLine>?> GetAsync(string patientId, CancellationToken cancellationToken) =>
        (await GetScheduleAsync(patientId, cancellationToken).ConfigureAwait(false))?.Lines;

    /// <returns>Null when the patient is not enrolled.</returns>
    public async Task<PatientSchedule?> GetScheduleAsync(string patientId, CancellationToken cancellationToken)
    {
        var enrollment = await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (enrollment is null)
        {
            return null;
        }

        var record = await results.GetRecordAsync(patientId, cancellationToken).ConfigureAwait(false);
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

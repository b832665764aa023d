using System.Globalization;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using CarTLabPipeline.Rules.MonitoringOverdue;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Evaluation;

/// <summary>One timepoint of a patient's follow-up schedule as it reads (<c>cartlab schedule</c>).</summary>
/// <param name="Timepoint">e.g. <c>month-3</c>.</param>
/// <param name="Test">e.g. <c>bone-marrow MRD</c>.</param>
/// <param name="Day">The day it is due.</param>
/// <param name="Window">e.g. <c>day +76 … +104 (2024-11-11 – 2024-12-09)</c>.</param>
/// <param name="Status">done, due, overdue, missed (closed before the pipeline followed the patient) or upcoming.</param>
/// <param name="Collected">For a done timepoint: the first result taken in the window, e.g. <c>day +90 (2024-11-25), preliminary</c>.</param>
public sealed record ScheduleLine(string Timepoint, string Test, int Day, string Window, string Status, string? Collected);

/// <summary>A patient's follow-up schedule now, with what it counts from.</summary>
/// <param name="PatientId">The patient.</param>
/// <param name="DayZero">Day 0 of the current follow-up.</param>
/// <param name="FollowUp">What day 0 is: <c>the infusion of 2024-08-27</c>, <c>the second infusion of …</c>.</param>
/// <param name="Today">Today's date in the patient's time zone.</param>
/// <param name="TodayDay">Today's day +N.</param>
/// <param name="FollowedSince">The date the pipeline began following the patient: windows closed before are <c>missed</c>.</param>
/// <param name="CarT">False after an allogeneic HSCT: the CAR-T schedule has ended and <paramref name="Lines"/> is empty.</param>
/// <param name="Lines">Every timepoint, in day order.</param>
public sealed record PatientSchedule(string PatientId, DateOnly DayZero, string FollowUp, DateOnly Today, int TodayDay, DateOnly? FollowedSince, bool CarT,
    IReadOnlyList<ScheduleLine> Lines);

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

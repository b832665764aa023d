using System.Globalization;
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

/// <summary>
/// A patient's follow-up schedule now: what is due, done and overdue (the same reading as <c>monitoring.overdue</c>,
/// <see cref="FollowUpSchedule"/>).
/// </summary>
public sealed class ScheduleQueryService(IPatientStore patients, ILabResultStore results, IOptions<MonitoringOverdueOptions> options, TimeProvider time)
{
    /// <returns>Null when the patient is not enrolled; otherwise every timepoint in day order.</returns>
    public async Task<IReadOnlyList<ScheduleLine>?> GetAsync(string patientId, CancellationToken cancellationToken)
    {
        var enrollment = await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false);
        if (enrollment is null)
        {
            return null;
        }

        var record = await results.GetRecordAsync(patientId, cancellationToken).ConfigureAwait(false);
        var context = new RuleContext(enrollment, record.Current, time.GetUtcNow(), enrollment.EnrolledAt);
        return FollowUpSchedule.Evaluate(context, options.Value)
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
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// A patient's timeline — the followed analytes by day since infusion and their trend charts — for <c>cartlab timeline</c>
/// and the HTTP API's <c>timeline.png</c>, and an alert's chart as of the alert for its email and the API's
/// <c>chart.png</c>: one place for the series and the chart sizes.
/// </summary>
public sealed class PatientTimelineService(IPatientStore patients, ILabResultStore results, RuleEngine rules, ITrendChartRenderer renderer, IOptions<EmailOptions> emailOptions)
{
    /// <summary>Width of the timeline PNG, in pixels.</summary>
    public const int ChartWidth = 900;

    /// <summary>Height of each panel (one per followed analyte) of the timeline PNG, in pixels.</summary>
    public const int PanelHeight = 260;

    /// <summary>The timeline; null when the patient is not enrolled.</summary>
    public async Task<PatientTimeline?> GetAsync(string patientId, CancellationToken cancellationToken)
    {
        if (await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false) is not { } enrollment)
        {
            return null;
        }

        var history = (await results.GetRecordAsync(patientId, cancellationToken).ConfigureAwait(false)).Current;
        var series = AnalyteCatalog.All
            .Select(a => (Analyte: a, Values: (IReadOnlyList<LabResult>)[.. RuleContext.TimeOrder(history.Where(r => r.Analyte == a.Analyte && r.IsEvaluable))]))
            .Where(s => s.Values.Count > 0)
            .ToList();
        return new PatientTimeline(enrollment, RuleContext.FollowUps(enrollment)[^1], history.Count, series, TrendCharts.ForPatient(enrollment, history, rules.Rules));
    }

    /// <summary>The trend charts as one PNG of <see cref="ChartWidth"/> × <see cref="PanelHeight"/> per panel; null when there is no chart.</summary>
    public byte[]? RenderPng(PatientTimeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return timeline.Charts.Count == 0 ? null : renderer.RenderPng(timeline.Charts, ChartWidth, PanelHeight);
    }

    /// <summary>
    /// The alert's trend chart as of the alert (what it was judged on: a mail sent late, or an alert raised from a backlog,
    /// shows that), <c>Email__ChartWidth</c> × <c>Email__ChartHeight</c>: the chart its email carries. Null when it rests
    /// on no result of a followed analyte.
    /// </summary>
    public async Task<byte[]?> RenderAlertPngAsync(Alert alert, Enrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var history = TrendCharts.AsOfAlert(alert, await results.GetVersionsAsync(alert.PatientId, cancellationToken).ConfigureAwait(false));
        var o = emailOptions.Value;
        return TrendCharts.ForAlert(alert, enrollment, history, rules.Rules) is { } chart ? renderer.RenderPng(chart, o.ChartWidth, o.ChartHeight) : null;
    }
}

using CarTLabPipeline.Domain;
using CarTLabPipeline.Ports;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// A patient's timeline — the followed analytes by day since infusion and their trend charts — for <c>cartlab timeline</c>
/// and the HTTP API's <c>timeline.png</c>: one place for the series and the chart size.
/// </summary>
public sealed class PatientTimelineService(IPatientStore patients, ILabResultStore results, RuleEngine rules, ITrendChartRenderer renderer)
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
}

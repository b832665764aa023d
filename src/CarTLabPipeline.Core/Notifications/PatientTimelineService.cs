using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Results;
using CarTLabPipeline.Rules;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Notifications;

/// <summary>
/// A patient's timeline — the followed analytes by day since infusion and their trend charts — for <c>cartlab timeline</c>
/// and the HTTP API's <c>timeline.png</c>, and an alert's chart as of the alert for its email and the API's
/// <c>chart.png</c>: one place for the series and the chart sizes.
/// </summary>
public sealed class PatientTimelineService(
    IPatientStore patients,
    PatientRecordReader records,
    IAlertStore alerts,
    RuleEngine rules,
    ITrendChartRenderer renderer,
    IOptions<EmailOptions> emailOptions)
{
    /// <summary>Width of the timeline PNG, in pixels.</summary>
    public const int ChartWidth = 900;

    /// <summary>Height of each panel (one per followed analyte) of the timeline PNG, in pixels.</summary>
    public const int PanelHeight = 260;

    /// <summary>The timeline; or not enrolled, or a record too large to read (<see cref="PatientRecordReader"/>).</summary>
    public async Task<PatientQuery<PatientTimeline>> GetAsync(string patientId, CancellationToken cancellationToken)
    {
        if (await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false) is not { } enrollment)
        {
            return PatientQuery<PatientTimeline>.NotEnrolled(patientId);
        }

        return await records.ReadAsync(patientId, sources: false, read => read.TooLarge
            ? PatientQuery<PatientTimeline>.RecordTooLarge(patientId, read.Limit)
            : PatientQuery<PatientTimeline>.Answered(patientId, Timeline(enrollment, LabRecord.Resolve(read.Versions).Current)), cancellationToken).ConfigureAwait(false);
    }

    private PatientTimeline Timeline(Enrollment enrollment, IReadOnlyList<LabResult> history)
    {
        var series = AnalyteCatalog.All
            .Select(a => (Analyte: a, Values: (IReadOnlyList<LabResult>)[.. RuleContext.TimeOrder(history.Where(r => r.Analyte == a.Analyte && r.IsEvaluable))]))
            .Where(s => s.Values.Count > 0)
            .ToList();
        return new PatientTimeline(enrollment, RuleContext.FollowUps(enrollment)[^1], history.Count, series, TrendCharts.ForPatient(enrollment, history, rules.Rules));
    }

    /// <summary>
    /// The timeline as data for a browser to draw: per followed analyte its current values (censored ones marked), the
    /// superseded versions of corrected results, the timeline threshold; the treatment events; the patient's alerts.
    /// Or not enrolled, or a record too large to read (<see cref="PatientRecordReader"/>).
    /// </summary>
    public async Task<PatientQuery<TimelineView>> GetViewAsync(string patientId, CancellationToken cancellationToken)
    {
        if (await patients.GetAsync(patientId, cancellationToken).ConfigureAwait(false) is not { } enrollment)
        {
            return PatientQuery<TimelineView>.NotEnrolled(patientId);
        }

        var series = await records.ReadAsync(patientId, sources: false, read => read.TooLarge ? null : Series(enrollment, LabRecord.Resolve(read.Versions)), cancellationToken)
            .ConfigureAwait(false);
        if (series is null)
        {
            return PatientQuery<TimelineView>.RecordTooLarge(patientId, records.Limit);
        }

        var followUp = RuleContext.FollowUps(enrollment)[^1];
        var dayZero = followUp.DayZero;
        var events = enrollment.Events
            .Select(e => new TrendEvent(e.Date.DayNumber - dayZero.DayNumber, e.Label))
            .Distinct()
            .OrderBy(e => e.Day).ThenBy(e => e.Label, StringComparer.Ordinal)
            .ToList();
        var alertMarks = (await alerts.ListForPatientAsync(patientId, cancellationToken).ConfigureAwait(false))
            .Select(row => row.Alert)
            .Select(a => new TimelineAlert(
                a.AlertId,
                // At its last triggering result; an alert counts its days from its own follow-up's day 0: move it onto the current one.
                a.Evidence.Where(e => e.Role == EvidenceRoles.Trigger).Select(e => e.DayPostInfusion).DefaultIfEmpty(a.DayPostInfusion).Max()
                    + (a.InfusionDate is { } zero ? zero.DayNumber - dayZero.DayNumber : 0),
                a.Severity,
                a.Status,
                a.Title,
                a.Evidence.FirstOrDefault(e => e.Role == EvidenceRoles.Trigger) is { } t && AnalyteCatalog.TryResolve(t.Analyte, out var info) ? info.Keyword : null))
            .OrderBy(a => a.Day).ThenBy(a => a.AlertId, StringComparer.Ordinal)
            .ToList();
        return PatientQuery<TimelineView>.Answered(patientId, new TimelineView(enrollment.PatientId, enrollment.Product, dayZero, followUp.StartedBy?.Label ?? "infusion", series, events, alertMarks));
    }

    /// <summary>Per followed analyte of the timeline: its current values and the superseded versions of corrected ones.</summary>
    private List<TimelineSeries> Series(Enrollment enrollment, LabRecord record)
    {
        var dayZero = RuleContext.FollowUps(enrollment)[^1].DayZero;
        var series = new List<TimelineSeries>();
        foreach (var analyte in TrendCharts.TimelineAnalytes)
        {
            var mrd = analyte == Analyte.Mrd;
            var current = new List<TimelinePoint>();
            var superseded = new List<TimelinePoint>();
            foreach (var recorded in record.Results.Where(r => r.Current.Analyte == analyte && r.Current.IsEvaluable).OrderBy(r => r.CollectedAt.UtcTicks))
            {
                if (TrendCharts.Point(recorded.Current, enrollment, dayZero, mrd, null) is not { } point)
                {
                    continue;
                }

                var earlier = recorded.Versions.Where(v => !ReferenceEquals(v, recorded.Current) && v.Status != ResultStatus.Cancelled)
                    .Select(v => TrendCharts.Point(v, enrollment, dayZero, mrd, null))
                    .OfType<TrendPoint>()
                    .Where(v => v.Day != point.Day || v.Value != point.Value || v.BelowDetection != point.BelowDetection)
                    .Distinct()
                    .ToList();
                var corrected = recorded.Current.Status == ResultStatus.Corrected || earlier.Count > 0;
                current.Add(new TimelinePoint(recorded.ResultId, point.Day, point.Value, point.BelowDetection, corrected, Superseded: false));
                superseded.AddRange(earlier.Select(v => new TimelinePoint(recorded.ResultId, v.Day, v.Value, v.BelowDetection, Corrected: false, Superseded: true)));
            }

            if (current.Count == 0)
            {
                continue;
            }

            var info = AnalyteCatalog.Get(analyte);
            series.Add(new TimelineSeries(info.Keyword, info.DisplayName, info.DisplayUnit, mrd, TrendCharts.TimelineThreshold(analyte, rules.Rules),
                [.. current, .. superseded]));
        }


        return series;
    }

    /// <summary>
    /// The alert's chart as of the alert (<see cref="TrendCharts.AsOfAlert"/>: the record it was judged on, as its email
    /// shows it) as data for a browser to draw: one series, the treatment events within it, the alert flagged at its last
    /// triggering result. None when it rests on no result of a followed analyte, or when the patient's record holds more
    /// than <see cref="EvaluationOptions.MaxRecordVersions"/> versions (it is not read: <see cref="AlertChart{T}.RecordTooLarge"/>).
    /// </summary>
    public Task<AlertChart<TimelineView>> GetAlertViewAsync(Alert alert, Enrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(enrollment);
        return AsOfAlertAsync(alert, history => AlertView(alert, enrollment, history), cancellationToken);
    }

    private AlertChart<TimelineView> AlertView(Alert alert, Enrollment enrollment, IReadOnlyList<LabResult> history)
    {
        if (TrendCharts.ForAlert(alert, enrollment, history, rules.Rules) is not { } chart
            || !AnalyteCatalog.TryResolve(alert.Evidence.First(e => e.Role == EvidenceRoles.Trigger).Analyte, out var info))
        {
            return NoResult<TimelineView>(alert);
        }

        var points = chart.Points.Select(p => new TimelinePoint(string.Empty, p.Day, p.Value, p.BelowDetection, Corrected: false, Superseded: false)).ToList();
        var series = new TimelineSeries(info.Keyword, chart.Title, chart.Unit, chart.LogScale, chart.Threshold, points);
        var day = chart.Points.Where(p => p.IsTrigger).Select(p => p.Day).DefaultIfEmpty(alert.DayPostInfusion).Max();
        var dayZero = alert.InfusionDate ?? RuleContext.FollowUps(enrollment)[^1].DayZero;
        return new AlertChart<TimelineView>
        {
            Chart = new TimelineView(alert.PatientId, enrollment.Product, dayZero, chart.DayZeroLabel, [series], chart.Events,
                [new TimelineAlert(alert.AlertId, day, alert.Severity, alert.Status, alert.Title, info.Keyword)]),
        };
    }

    /// <summary>The trend charts as one PNG of <see cref="ChartWidth"/> × <see cref="PanelHeight"/> per panel; null when there is no chart.</summary>
    public byte[]? RenderPng(PatientTimeline timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        return timeline.Charts.Count == 0 ? null : renderer.RenderPng(timeline.Charts, ChartWidth, PanelHeight);
    }

    /// <summary>
    /// The alert's trend chart as of the alert (what it was judged on: a mail sent late, or an alert raised from a backlog,
    /// shows that), <c>Email__ChartWidth</c> × <c>Email__ChartHeight</c>: the chart its email carries. None when it rests
    /// on no result of a followed analyte, or when the patient's record holds more than
    /// <see cref="EvaluationOptions.MaxRecordVersions"/> versions (it is not read: <see cref="AlertChart{T}.RecordTooLarge"/>).
    /// </summary>
    public Task<AlertChart<byte[]>> RenderAlertPngAsync(Alert alert, Enrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var o = emailOptions.Value;
        return AsOfAlertAsync(alert, history => TrendCharts.ForAlert(alert, enrollment, history, rules.Rules) is { } chart
            ? new AlertChart<byte[]> { Chart = renderer.RenderPng(chart, o.ChartWidth, o.ChartHeight) }
            : NoResult<byte[]>(alert), cancellationToken);
    }

    /// <summary>
    /// The chart <paramref name="draw"/> makes of the versions the alert was judged on, read as the evaluation reads them,
    /// within the same limit and held no longer than it draws; none when the record holds more (the read stopped there).
    /// </summary>
    private Task<AlertChart<T>> AsOfAlertAsync<T>(Alert alert, Func<IReadOnlyList<LabResult>, AlertChart<T>> draw, CancellationToken ct)
        where T : class =>
        records.ReadAsync(alert.PatientId, sources: false, read => read.TooLarge ? TooLarge<T>(read.Limit) : draw(TrendCharts.AsOfAlert(alert, read.Versions)), ct);

    private static AlertChart<T> TooLarge<T>(int max)
        where T : class
    {
        var limit = max.ToString("N0", CultureInfo.InvariantCulture);
        return new AlertChart<T>
        {
            NotDrawn = $"the patient's record holds more than {limit} results ({EvaluationOptions.MaxRecordVersionsSetting}): it is not read, and no chart is drawn from it",
            RecordTooLarge = true,
        };
    }

    private static AlertChart<T> NoResult<T>(Alert alert)
        where T : class => new() { NotDrawn = $"alert {alert.AlertId} rests on no result of a followed analyte" };
}

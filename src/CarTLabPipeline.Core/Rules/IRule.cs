using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;

namespace CarTLabPipeline.Rules;

/// <summary>
/// A clinical rule. It sees the patient's whole evaluable history in time order and returns every alert that history
/// supports, so the result does not depend on the order results arrived in (docs/design.md §6).
/// </summary>
public interface IRule
{
    /// <summary>Contract id, e.g. <c>igg.low</c>.</summary>
    string Id { get; }

    /// <summary>Bumped when the rule's logic changes meaning.</summary>
    int Version { get; }

    /// <summary>The lines the rule compares values with, as charts draw them (from its options); empty when none.</summary>
    IEnumerable<RuleThreshold> Thresholds { get; }

    IEnumerable<AlertDraft> Evaluate(RuleContext context);
}

/// <summary>
/// What a rule sees: the enrollment and the current record's evaluable results (their current version final or
/// corrected; withdrawn and preliminary-only results left out), ordered by collection time — and, for rules about whether
/// a test was taken, every collected result (<see cref="Collected"/>).
/// Each result's local date and day +N are computed once here (time-zone conversion is the costly part of evaluation).
/// </summary>
public sealed class RuleContext
{
    private readonly IReadOnlyList<LabResult>[] _byAnalyte;
    private readonly Dictionary<LabResult, (DateOnly Date, int Day)> _calendar;
    private readonly TimeZoneInfo _zone;
    private readonly List<LabResult> _current;
    private IReadOnlyList<LabResult>? _collected;
    private IReadOnlyList<LabResult>?[]? _collectedByAnalyte;

    public RuleContext(Enrollment enrollment, IEnumerable<LabResult> history, DateTimeOffset asOf, DateTimeOffset? monitoredSince = null)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        ArgumentNullException.ThrowIfNull(history);
        Enrollment = enrollment;
        AsOf = asOf;
        MonitoredSince = monitoredSince;
        _zone = enrollment.ResolveTimeZone();

        // Versions are resolved here, so the engine is a pure function of the stored versions whoever calls it.
        _current = [.. LabRecord.CurrentVersions(history)];
        History = TimeOrder(_current.Where(r => r.IsEvaluable)).ToList();

        var series = new List<LabResult>[Enum.GetValues<Analyte>().Length];
        _calendar = new Dictionary<LabResult, (DateOnly, int)>(History.Count, ReferenceEqualityComparer.Instance);
        foreach (var r in History)
        {
            (series[(int)r.Analyte] ??= []).Add(r);
            _calendar[r] = Calendar(r);
        }

        _byAnalyte = [.. series.Select(s => (IReadOnlyList<LabResult>?)s ?? [])];
    }

    public Enrollment Enrollment { get; }

    /// <summary>The evaluation time (for rules about time passing, e.g. overdue monitoring).</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Since when the pipeline follows the patient; null = since infusion (previews).</summary>
    public DateTimeOffset? MonitoredSince { get; }

    public IReadOnlyList<LabResult> History { get; }

    /// <summary>
    /// Every result taken, whatever its status (preliminary ones included, withdrawn ones left out), in time order: what
    /// says a test was done (the follow-up schedule), never what a value rule may fire on (that is <see cref="History"/>).
    /// </summary>
    public IReadOnlyList<LabResult> Collected => _collected ??= _current.Count == History.Count ? History : TimeOrder(_current).ToList();

    /// <summary>The time-ordered collected results of one analyte (<see cref="Collected"/>, any status).</summary>
    public IReadOnlyList<LabResult> CollectedSeries(Analyte analyte)
    {
        if (_current.Count == History.Count)
        {
            return Series(analyte); // every result is evaluable: nothing more was taken
        }

        _collectedByAnalyte ??= new IReadOnlyList<LabResult>?[_byAnalyte.Length];
        return _collectedByAnalyte[(int)analyte] ??= Collected.Where(r => r.Analyte == analyte).ToList();
    }

    /// <summary>The instant the calendar day <paramref name="date"/> begins in the patient's time zone.</summary>
    public DateTimeOffset StartOfLocalDay(DateOnly date) => Enrollment.StartOfLocalDay(date, _zone);

    /// <summary>The time-ordered results of one analyte.</summary>
    public IReadOnlyList<LabResult> Series(Analyte analyte) => _byAnalyte[(int)analyte];

    /// <summary>
    /// True for a follow-up result (collected on day 0 or later). Earlier results are the baseline: rules compare with them
    /// but never raise an alert on them.
    /// </summary>
    public bool IsFollowUp(LabResult result) => Day(result) >= 0;

    /// <summary>The last baseline (pre-infusion) result of a series, or null.</summary>
    public LabResult? Baseline(Analyte analyte)
    {
        var series = Series(analyte);
        LabResult? last = null;
        foreach (var r in series)
        {
            if (IsFollowUp(r))
            {
                break;
            }

            last = r;
        }

        return last;
    }

    /// <summary>Day +N of the result's collection, in the patient's time zone (a date-only result: from the date as sent).</summary>
    public int Day(LabResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return (_calendar.TryGetValue(result, out var c) ? c : Calendar(result)).Day;
    }

    /// <summary>The collection date in the patient's time zone; for a date-only result the calendar date as sent (<see cref="LabResult.CollectedDate"/>).</summary>
    public DateOnly LocalDate(LabResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return (_calendar.TryGetValue(result, out var c) ? c : Calendar(result)).Date;
    }

    /// <summary>
    /// The one total order used everywhere: collection instant, then (two results of one instant, e.g. pre- and
    /// post-transfusion counts) the lab's message time, then result id. Content only, never arrival: order-independent.
    /// </summary>
    public static IEnumerable<LabResult> TimeOrder(IEnumerable<LabResult> results) =>
        results.OrderBy(r => r.CollectedAt.UtcTicks)
            .ThenBy(r => r.ReportedAt?.UtcTicks ?? long.MaxValue) // two results of one instant: in the order the lab issued them
            .ThenBy(r => r.ResultId, StringComparer.Ordinal);

    /// <summary>The collection date (as sent for a date-only result, else the instant's date in the patient's zone) and its day +N.</summary>
    private (DateOnly Date, int Day) Calendar(LabResult result)
    {
        var date = Enrollment.CollectionDate(result, _zone);
        return (date, Enrollment.DayPostInfusion(date));
    }
}

/// <summary>An alert as a rule states it, before ids, days and evidence are filled in by <see cref="RuleEngine"/>.</summary>
public sealed record AlertDraft
{
    public required string RuleId { get; init; }

    public required int RuleVersion { get; init; }

    public required AlertSeverity Severity { get; init; }

    public required string Title { get; init; }

    public required string Summary { get; init; }

    public required string SuggestedAction { get; init; }

    /// <summary>The results that raised the alert; their ids make the alert id. The last one is the observation time.</summary>
    public required IReadOnlyList<LabResult> Triggers { get; init; }

    /// <summary>Earlier values that define the change, shown as context.</summary>
    public IReadOnlyList<LabResult> Previous { get; init; } = [];

    /// <summary>Extra parts of the alert id, for alerts not raised by a result (e.g. <c>assessment:28</c>).</summary>
    public IReadOnlyList<string> IdKeys { get; init; } = [];

    /// <summary>Overrides the observation time (default: collection time of the last trigger).</summary>
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>Overrides day +N (default: day of the last trigger).</summary>
    public int? Day { get; init; }

    public AlertAudience Audience { get; init; } = AlertAudience.CareTeam;
}

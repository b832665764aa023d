using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;

namespace CarTLabPipeline.Rules;

/// <summary>
/// What a rule sees: the enrollment and the current record's evaluable results (their current version final or
/// corrected; withdrawn and preliminary-only results left out), ordered by collection time — and, for rules about whether
/// a test was taken, every collected result (<see cref="Collected"/>).
/// Each result's local date and day +N are computed once here (time-zone conversion is the costly part of evaluation).
/// </summary>
public sealed class RuleContext
{
    /// <summary><see cref="TimeOrder"/>'s keys as one comparison.</summary>
    private static readonly Comparison<LabResult> s_timeOrder = (a, b) =>
        a.CollectedAt.UtcTicks != b.CollectedAt.UtcTicks ? a.CollectedAt.UtcTicks.CompareTo(b.CollectedAt.UtcTicks)
        : (a.ReportedAt?.UtcTicks ?? long.MaxValue) != (b.ReportedAt?.UtcTicks ?? long.MaxValue) ? (a.ReportedAt?.UtcTicks ?? long.MaxValue).CompareTo(b.ReportedAt?.UtcTicks ?? long.MaxValue)
        : string.CompareOrdinal(a.ResultId, b.ResultId);

    private readonly IReadOnlyList<LabResult>[] _byAnalyte;
    private readonly Dictionary<LabResult, (DateOnly Date, int Day)> _calendar;
    private readonly TimeZoneInfo _zone;
    private readonly IReadOnlyList<LabResult> _current;

    private IReadOnlyList<LabResult>? _collected;
    private IReadOnlyList<LabResult>?[]? _collectedByAnalyte;

    /// <param name="enrollment">The patient.</param>
    /// <param name="history">Every stored version (any order).</param>
    /// <param name="asOf">The evaluation time.</param>
    /// <param name="monitoredSince">Since when the pipeline follows the patient; null = since infusion.</param>
    /// <param name="followUp">
    /// The follow-up to judge (one of <see cref="FollowUps"/>); default the current one. An earlier follow-up sees the results
    /// collected before the next day 0 only, judged as of that day at the latest.
    /// </param>
    public RuleContext(Enrollment enrollment, IEnumerable<LabResult> history, DateTimeOffset asOf, DateTimeOffset? monitoredSince = null, FollowUp? followUp = null)
        : this(enrollment, Resolve(history), asOf, monitoredSince, followUp)
    {
    }

    /// <summary>A context over a resolved record (<see cref="LabRecord.Current"/>): its versions are not resolved again.</summary>
    /// <param name="enrollment">The patient.</param>
    /// <param name="record">The patient's record.</param>
    /// <param name="asOf">The evaluation time.</param>
    /// <param name="monitoredSince">Since when the pipeline follows the patient; null = since infusion.</param>
    /// <param name="followUp">The follow-up to judge; default the current one.</param>
    public RuleContext(Enrollment enrollment, LabRecord record, DateTimeOffset asOf, DateTimeOffset? monitoredSince = null, FollowUp? followUp = null)
        : this(enrollment, (record ?? throw new ArgumentNullException(nameof(record))).Current, asOf, monitoredSince, followUp)
    {
    }

    // current: the current version of each result, withdrawn ones left out (distinct result ids).
    private RuleContext(Enrollment enrollment, IReadOnlyList<LabResult> current, DateTimeOffset asOf, DateTimeOffset? monitoredSince, FollowUp? followUp)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        Enrollment = enrollment;
        MonitoredSince = monitoredSince;
        _zone = enrollment.ResolveTimeZone();
        FollowUp = followUp ?? FollowUps(enrollment)[^1];
        DayZero = FollowUp.DayZero;

        _current = current;
        if (FollowUp.EndsOn is { } end)
        {
            // An earlier follow-up: what was collected before the next day 0, judged as it stood then.
            _current = [.. _current.Where(r => Enrollment.CollectionDate(r, _zone) < end)];
            var endsAt = StartOfLocalDay(end);
            asOf = asOf < endsAt ? asOf : endsAt;
        }

        AsOf = asOf;
        // Current versions have distinct result ids, so the total order needs no stable sort: an in-place sort with the
        // same keys as TimeOrder (a third of the cost of OrderBy/ThenBy on a 100-result history).
        var evaluable = new List<LabResult>(_current.Count);
        evaluable.AddRange(_current.Where(r => r.IsEvaluable));
        evaluable.Sort(s_timeOrder);
        History = evaluable;

        var series = new List<LabResult>[Enum.GetValues<Analyte>().Length];
        _calendar = new Dictionary<LabResult, (DateOnly, int)>(History.Count, ReferenceEqualityComparer.Instance);
        foreach (var r in History)
        {
            (series[(int)r.Analyte] ??= []).Add(r);
            _calendar[r] = Calendar(r);
        }

        _byAnalyte = [.. series.Select(s => (IReadOnlyList<LabResult>?)s ?? [])];
    }

    /// <summary>Versions are resolved here, so the engine is a pure function of the stored versions whoever calls it.</summary>
    private static List<LabResult> Resolve(IEnumerable<LabResult> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return [.. LabRecord.CurrentVersions(history)];
    }

    /// <summary>
    /// The patient's follow-ups in date order: from the infusion date, then from each second infusion or allogeneic HSCT
    /// (<see cref="Patients.Enrollment.Events"/>) — each the day 0 of the next, the last one the current. The one place that
    /// says which day 0 a rule counts from.
    /// </summary>
    public static IReadOnlyList<FollowUp> FollowUps(Enrollment enrollment)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var starts = enrollment.Events
            .Where(e => e.Kind is TreatmentEventKind.SecondInfusion or TreatmentEventKind.AllogeneicHsct && e.Date > enrollment.InfusionDate)
            .GroupBy(e => e.Date)
            .OrderBy(g => g.Key)
            .Select(g => g.OrderBy(e => e.Kind).First()) // validation refuses both on one date; an HSCT wins if stored anyway
            .ToList();
        var followUps = new List<FollowUp>(starts.Count + 1);
        var dayZero = enrollment.InfusionDate;
        TreatmentEvent? startedBy = null;
        foreach (var next in starts)
        {
            followUps.Add(new FollowUp(dayZero, startedBy, next.Date));
            (dayZero, startedBy) = (next.Date, next);
        }

        followUps.Add(new FollowUp(dayZero, startedBy, null));
        return followUps;
    }

    /// <summary>
    /// The follow-up a calendar date belongs to (the last whose day 0 is on or before it; the first for dates before the
    /// infusion, which are its baseline): what views count day +N from.
    /// </summary>
    public static FollowUp FollowUpOn(IReadOnlyList<FollowUp> followUps, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(followUps);
        return followUps.LastOrDefault(f => f.DayZero <= date) ?? followUps[0];
    }

    /// <summary>The follow-up being judged: its day 0, what started it, when the next began.</summary>
    public FollowUp FollowUp { get; }

    /// <summary>Day 0 of <see cref="FollowUp"/>: the infusion date, or the date of the second infusion / HSCT that started it.</summary>
    public DateOnly DayZero { get; }

    /// <summary>
    /// False once an allogeneic HSCT started the follow-up: the patient has left CAR-T-specific follow-up, and the rules
    /// about CAR-T activity, its cytopenias and its schedule say nothing (docs/rules.md lists which rules keep watching).
    /// </summary>
    public bool IsCarTFollowUp => FollowUp.IsCarT;

    /// <summary>
    /// The start of the immunoglobulin replacement running on <paramref name="date"/>: a start on or before it with no stop
    /// between (a stop without detail ends every replacement; same-day start and stop: stopped). Null when none runs.
    /// </summary>
    public TreatmentEvent? ImmunoglobulinReplacementOn(DateOnly date) =>
        Running(TreatmentEventKind.ImmunoglobulinStart, TreatmentEventKind.ImmunoglobulinStop, date).Running.FirstOrDefault();

    /// <summary>
    /// The stop that ended anti-infective prophylaxis on or before <paramref name="date"/> when none is running then (every
    /// recorded prophylaxis stopped); null when no stop is recorded by then or one still runs (e.g. acyclovir continues).
    /// </summary>
    public TreatmentEvent? ProphylaxisStoppedOn(DateOnly date)
    {
        var (running, lastStop) = Running(TreatmentEventKind.ProphylaxisStart, TreatmentEventKind.ProphylaxisStop, date);
        return running.Count == 0 ? lastStop : null;
    }

    private (List<TreatmentEvent> Running, TreatmentEvent? LastStop) Running(TreatmentEventKind start, TreatmentEventKind stop, DateOnly date)
    {
        var running = new List<TreatmentEvent>();
        TreatmentEvent? lastStop = null;
        foreach (var e in Enrollment.Events.Where(e => e.Date <= date && (e.Kind == start || e.Kind == stop))
            .OrderBy(e => e.Date).ThenBy(e => e.Kind == stop ? 1 : 0).ThenBy(e => e.DetailKey, StringComparer.Ordinal))
        {
            if (e.Kind == start)
            {
                running.RemoveAll(r => r.DetailKey == e.DetailKey);
                running.Add(e);
            }
            else
            {
                running.RemoveAll(r => e.DetailKey.Length == 0 || r.DetailKey == e.DetailKey);
                lastStop = e;
            }
        }

        running.Sort((a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date) : string.CompareOrdinal(a.DetailKey, b.DetailKey)); // content order only
        return (running, lastStop);
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

    /// <summary>Day +N of a calendar date (patient's time zone) in this follow-up.</summary>
    public int DayOf(DateOnly localDate) => localDate.DayNumber - DayZero.DayNumber;

    /// <summary>The calendar date of day +N in this follow-up.</summary>
    public DateOnly DateOf(int day) => DayZero.AddDays(day);

    /// <summary>The collection date (as sent for a date-only result, else the instant's date in the patient's zone) and its day +N in this follow-up.</summary>
    private (DateOnly Date, int Day) Calendar(LabResult result)
    {
        var date = Enrollment.CollectionDate(result, _zone);
        return (date, DayOf(date));
    }
}

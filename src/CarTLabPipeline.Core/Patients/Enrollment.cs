using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Patients;

/// <summary>A patient's enrollment: infusion day (day 0), product, care team and time zone (docs/design.md §4).</summary>
public sealed record Enrollment
{
    /// <summary>Pseudonymous patient id (the id labs send in PID-3 / subject / patient_id).</summary>
    public required string PatientId { get; init; }

    /// <summary>Day 0, in the patient's time zone.</summary>
    public required DateOnly InfusionDate { get; init; }

    /// <summary>CAR-T product, e.g. <c>brexu-cel</c>.</summary>
    public required string Product { get; init; }

    public IReadOnlyList<CareTeamMember> CareTeam { get; init; } = [];

    /// <summary>IANA time zone in which day +N is counted, e.g. <c>Europe/Rome</c>.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>
    /// When the pipeline started following the patient (set at the first enrollment, kept on updates). Time-based rules
    /// judge only what happened while the pipeline was watching: an assessment window that closed before is not "overdue".
    /// </summary>
    public DateTimeOffset? EnrolledAt { get; init; }

    /// <summary>
    /// Treatment events (bridging, lymphodepletion, CRS/ICANS, immunoglobulin replacement, prophylaxis, vaccination,
    /// allogeneic HSCT, second infusion), in date order once stored; one per identity (kind + date + detail).
    /// </summary>
    public IReadOnlyList<TreatmentEvent> Events
    {
        get => _events ?? [];
        init => _events = value;
    }

    /// <summary>
    /// False when the document had no <c>events</c> (or <c>null</c>): an enrollment update then keeps the stored events;
    /// a list (even empty) replaces them.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasEvents => _events is not null;

    private readonly IReadOnlyList<TreatmentEvent>? _events;

    /// <summary>
    /// Day +N of <paramref name="at"/>: the calendar date of the instant in the patient's time zone minus the infusion date.
    /// </summary>
    public int DayPostInfusion(DateTimeOffset at) => DayPostInfusion(LocalDate(at));

    /// <summary>Day +N of a calendar date in the patient's time zone.</summary>
    public int DayPostInfusion(DateOnly localDate) => localDate.DayNumber - InfusionDate.DayNumber;

    /// <summary>The calendar date of <paramref name="at"/> in the patient's time zone.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => LocalDate(at, ResolveTimeZone());

    /// <summary>The calendar date of <paramref name="at"/> in <paramref name="zone"/> (the patient's, resolved once by callers that convert many instants).</summary>
    internal static DateOnly LocalDate(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>
    /// The calendar date of a result's collection in the patient's time zone: the date as the lab sent it for a date-only
    /// result (<see cref="LabResult.CollectedDate"/>), else the collection instant's date in the patient's zone.
    /// </summary>
    public DateOnly CollectionDate(LabResult result) => CollectionDate(result, ResolveTimeZone());

    /// <summary>The same in <paramref name="zone"/> (the patient's, resolved once by callers that date many results).</summary>
    internal static DateOnly CollectionDate(LabResult result, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.CollectedDate ?? LocalDate(result.CollectedAt, zone);
    }

    /// <summary>Day +N of a result's collection (<see cref="CollectionDate(LabResult)"/>).</summary>
    public int DayPostInfusion(LabResult result) => DayPostInfusion(CollectionDate(result));

    /// <summary>The instant the calendar day <paramref name="date"/> begins in the patient's time zone.</summary>
    public DateTimeOffset StartOfLocalDay(DateOnly date) => StartOfLocalDay(date, ResolveTimeZone());

    /// <summary>The same in <paramref name="zone"/> (the patient's, resolved once by callers that convert many dates).</summary>
    internal static DateTimeOffset StartOfLocalDay(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    internal TimeZoneInfo ResolveTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

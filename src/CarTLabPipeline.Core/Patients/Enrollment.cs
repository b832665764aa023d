using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace CarTLabPipeline.Patients;

/// <summary>A patient's enrollment: infusion day (day 0), product, care team and time zone (DESIGN §4).</summary>
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
    /// Day +N of <paramref name="at"/>: the calendar date of the instant in the patient's time zone minus the infusion date.
    /// </summary>
    public int DayPostInfusion(DateTimeOffset at) => DayPostInfusion(LocalDate(at));

    /// <summary>Day +N of a calendar date in the patient's time zone.</summary>
    public int DayPostInfusion(DateOnly localDate) => localDate.DayNumber - InfusionDate.DayNumber;

    /// <summary>The calendar date of <paramref name="at"/> in the patient's time zone.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => LocalDate(at, ResolveTimeZone());

    /// <summary>The calendar date of <paramref name="at"/> in <paramref name="zone"/> (the patient's, resolved once by callers that convert many instants).</summary>
    internal static DateOnly LocalDate(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

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

/// <summary>A member of the care team who receives the patient's alerts.</summary>
public sealed record CareTeamMember(string Name, string Email);

/// <summary>Validation of enrollments and patient ids.</summary>
public static partial class EnrollmentValidator
{
    /// <summary>
    /// Patient ids are used as table partition keys and in blob names: letters, digits and <c>. _ - : @</c>, 1–64 characters.
    /// </summary>
    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,64}$", RegexOptions.CultureInvariant)]
    public static partial Regex PatientIdPattern();

    /// <summary>Returns every problem with <paramref name="enrollment"/>; empty when it is valid.</summary>
    public static IReadOnlyList<ValidationResult> Validate(Enrollment enrollment)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var errors = new List<ValidationResult>();
        if (!PatientIdPattern().IsMatch(enrollment.PatientId ?? string.Empty))
        {
            errors.Add(new("patientId must be 1–64 letters, digits or . _ - : @", ["patientId"]));
        }

        if (string.IsNullOrWhiteSpace(enrollment.Product))
        {
            errors.Add(new("product is required (e.g. brexu-cel)", ["product"]));
        }

        if (enrollment.InfusionDate == default)
        {
            errors.Add(new("infusionDate is required (yyyy-MM-dd)", ["infusionDate"]));
        }

        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(enrollment.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            errors.Add(new($"timeZone '{enrollment.TimeZone}' is not a known IANA time zone", ["timeZone"]));
        }

        for (var i = 0; i < enrollment.CareTeam.Count; i++)
        {
            var email = enrollment.CareTeam[i].Email;
            if (!EmailAddresses.IsValid(email?.Trim()))
            {
                errors.Add(new($"careTeam[{i}].email '{email}' is not a valid address", [$"careTeam[{i}].email"]));
            }
        }

        return errors;
    }

    /// <summary>Removes care-team members listed twice under the same address (case-insensitive).</summary>
    public static Enrollment WithDistinctCareTeam(Enrollment enrollment)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var distinct = enrollment.CareTeam
            .DistinctBy(m => m.Email.Trim(), StringComparer.OrdinalIgnoreCase)
            .Select(m => m with { Email = m.Email.Trim() })
            .ToList();
        return enrollment with { CareTeam = distinct };
    }
}

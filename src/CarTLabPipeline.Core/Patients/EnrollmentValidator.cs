using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Patients;

/// <summary>Validation of enrollments and patient ids.</summary>
public static partial class EnrollmentValidator
{
    /// <summary>
    /// Patient ids are used as table partition keys and in blob names: letters, digits and <c>. _ - : @</c>, 1–64 characters.
    /// </summary>
    [GeneratedRegex("^[A-Za-z0-9._:@-]{1,64}$", RegexOptions.CultureInvariant)]
    public static partial Regex PatientIdPattern();

    /// <summary>Longest enrollment accepted, as its stored JSON (a table string property holds 32K characters).</summary>
    public const int MaxDocumentLength = 30_000;

    /// <summary>Earliest event date accepted.</summary>
    public static readonly DateOnly EarliestEventDate = new(1950, 1, 1);

    /// <summary>
    /// Returns every problem with <paramref name="enrollment"/>; empty when it is valid. With <paramref name="now"/>, an event
    /// dated more than one day after today (patient's time zone) is refused.
    /// </summary>
    public static IReadOnlyList<ValidationResult> Validate(Enrollment enrollment, DateTimeOffset? now = null)
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

        errors.AddRange(ValidateEvents(enrollment, now));
        if (errors.Count == 0 && PipelineJson.Serialize(enrollment).Length > MaxDocumentLength)
        {
            errors.Add(new($"the enrollment is longer than {MaxDocumentLength:N0} characters as stored (one table property): " +
                "shorten event notes or leave out events the rules do not read", ["events"]));
        }

        return errors;
    }

    /// <summary>
    /// The events' problems: grade only for CRS/ICANS (1–4); dates from 1950 and at most one day after today; an
    /// <c>infusion</c> event on the infusion date; a second infusion or HSCT after it; no stop before its start; detail and
    /// note lengths; the same identity (kind + date + detail) twice with different content.
    /// </summary>
    public static IReadOnlyList<ValidationResult> ValidateEvents(Enrollment enrollment, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var errors = new List<ValidationResult>();
        var events = enrollment.Events ?? [];
        DateOnly? latest = null;
        if (now is { } instant)
        {
            try
            {
                latest = enrollment.LocalDate(instant).AddDays(1);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
            {
                latest = DateOnly.FromDateTime(instant.UtcDateTime).AddDays(1); // the time zone error is reported on its own
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var at = $"events[{i}]";
            if (e is null)
            {
                errors.Add(new($"{at} is empty", [at]));
                continue;
            }

            if (!Enum.IsDefined(e.Kind))
            {
                errors.Add(new($"{at}.kind must be one of {string.Join(", ", TreatmentEventKinds.Names)}", [$"{at}.kind"]));
                continue;
            }

            var name = e.KindName;
            if (e.Date == default)
            {
                errors.Add(new($"{at}.date is required (yyyy-MM-dd)", [$"{at}.date"]));
            }
            else if (e.Date < EarliestEventDate)
            {
                errors.Add(new($"{at}.date {Iso(e.Date)} is before 1950", [$"{at}.date"]));
            }
            else if (latest is { } last && e.Date > last)
            {
                errors.Add(new($"{at}.date {Iso(e.Date)} is in the future (today is {Iso(last.AddDays(-1))} in {enrollment.TimeZone})", [$"{at}.date"]));
            }

            if (e.Kind is TreatmentEventKind.Crs or TreatmentEventKind.Icans)
            {
                if (e.Grade is { } g && g is < 1 or > 4)
                {
                    errors.Add(new($"{at}.grade must be 1–4 (ASTCT {name.ToUpperInvariant()} grade), not {g}", [$"{at}.grade"]));
                }
            }
            else if (e.Grade is not null)
            {
                errors.Add(new($"{at}.grade is only for crs and icans, not {name}", [$"{at}.grade"]));
            }

            if (e.Detail is { } d && d.Trim().Length > TreatmentEvent.MaxDetailLength)
            {
                errors.Add(new($"{at}.detail is longer than {TreatmentEvent.MaxDetailLength} characters", [$"{at}.detail"]));
            }

            if (e.Note is { } n && n.Length > TreatmentEvent.MaxNoteLength)
            {
                errors.Add(new($"{at}.note is longer than {TreatmentEvent.MaxNoteLength} characters", [$"{at}.note"]));
            }

            if (e.Date == default || enrollment.InfusionDate == default)
            {
                continue;
            }

            switch (e.Kind)
            {
                case TreatmentEventKind.Infusion when e.Date != enrollment.InfusionDate:
                    errors.Add(new($"{at}: an infusion on {Iso(e.Date)} is not the infusionDate {Iso(enrollment.InfusionDate)}; " +
                        "correct infusionDate, or record a later infusion as second-infusion", [$"{at}.date"]));
                    break;
                case TreatmentEventKind.SecondInfusion or TreatmentEventKind.AllogeneicHsct when e.Date <= enrollment.InfusionDate:
                    errors.Add(new($"{at}: {name} on {Iso(e.Date)} must be after the infusionDate {Iso(enrollment.InfusionDate)}", [$"{at}.date"]));
                    break;
                case TreatmentEventKind.ImmunoglobulinStop or TreatmentEventKind.ProphylaxisStop:
                    var startKind = e.Kind == TreatmentEventKind.ImmunoglobulinStop ? TreatmentEventKind.ImmunoglobulinStart : TreatmentEventKind.ProphylaxisStart;
                    var starts = events.Where(s => s is not null && s.Kind == startKind && s.DetailKey == e.DetailKey && s.Date != default).ToList();
                    if (starts.Count > 0 && starts.All(s => s.Date > e.Date))
                    {
                        errors.Add(new($"{at}: {name}{Detail(e)} on {Iso(e.Date)} is before its start on {Iso(starts.Min(s => s.Date))}: " +
                            $"correct the date, or record the start it ends (an earlier {TreatmentEventKinds.Name(startKind)}{Detail(e)})", [$"{at}.date"]));
                    }

                    break;
                default:
                    break;
            }
        }

        foreach (var date in events.Where(e => e is not null && e.Kind is TreatmentEventKind.SecondInfusion or TreatmentEventKind.AllogeneicHsct)
            .GroupBy(e => e.Date).Where(g => g.Select(e => e.Kind).Distinct().Count() > 1).Select(g => g.Key))
        {
            errors.Add(new($"events: a second-infusion and an allogeneic-hsct on the same date {Iso(date)}; keep the one given that day", ["events"]));
        }

        foreach (var same in events.Where(e => e is not null && Enum.IsDefined(e.Kind)).GroupBy(e => e.Key, StringComparer.Ordinal).Where(g => g.Select(e => (e.Grade, e.Note)).Distinct().Count() > 1))
        {
            var first = same.First();
            errors.Add(new($"events: {first.KindName}{Detail(first)} on {Iso(first.Date)} is listed twice with different grade or note; keep one", ["events"]));
        }

        return errors;
    }

    /// <summary>The events of <paramref name="enrollment"/> once each (same identity and content), in date order.</summary>
    public static Enrollment WithOrderedEvents(Enrollment enrollment)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        return enrollment with { Events = Ordered(enrollment.Events ?? []) };
    }

    /// <summary>Events in the one order they are stored and read in: date, kind, detail; identical ones once.</summary>
    public static IReadOnlyList<TreatmentEvent> Ordered(IEnumerable<TreatmentEvent> events) =>
        [.. events.DistinctBy(e => (e.Key, e.Grade, e.Note)).OrderBy(e => e.Date).ThenBy(e => e.Kind).ThenBy(e => e.DetailKey, StringComparer.Ordinal)
            .ThenBy(e => e.Grade ?? 0).ThenBy(e => e.Note ?? string.Empty, StringComparer.Ordinal)];

    private static string Detail(TreatmentEvent e) => string.IsNullOrWhiteSpace(e.Detail) ? string.Empty : $" ({e.Detail.Trim()})";

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

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

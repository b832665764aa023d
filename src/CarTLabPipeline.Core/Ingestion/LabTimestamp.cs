using System.Globalization;
using System.Text.RegularExpressions;

namespace CarTLabPipeline.Ingestion;

/// <summary>
/// Reads a collection or report time under a lab's conventions: ISO 8601 (<c>2025-10-03T08:00:00+02:00</c>, a space for
/// the <c>T</c>, seconds optional), or <c>03/10/2025 08:00</c> only when the lab's day/month order is configured. A time
/// without an offset is the lab's local time; a date without a time is a calendar date (see <see cref="DateOnlyHour"/>).
/// </summary>
public static partial class LabTimestamp
{
    /// <summary>
    /// The hour of the lab's day at which a date-only value is placed: noon keeps the calendar date the lab sent in every
    /// zone within 12 hours of the lab's, so its day +N is counted from that date and never shifts to the day before.
    /// </summary>
    public const int DateOnlyHour = 12;

    [GeneratedRegex(@"^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:[T ](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?<f>[.,]\d{1,7})?)?)?\s*(?<z>Z|[+-]\d{2}:?\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(?<a>\d{1,2})(?<sep>[/.-])(?<b>\d{1,2})\k<sep>(?<y>\d{4})(?:[ T,]+(?<h>\d{1,2})[:.](?<mi>\d{2})(?:[:.](?<s>\d{2}))?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DayMonth();

    /// <summary>
    /// Parses <paramref name="text"/>; false with <paramref name="problem"/> (naming the setting that resolves it when
    /// there is one) when it is not a date-time of the lab's conventions.
    /// </summary>
    /// <param name="text">The time as sent.</param>
    /// <param name="lab">The lab's conventions (zone, date order).</param>
    /// <param name="field">The field's name, for the reason.</param>
    /// <param name="value">The instant.</param>
    /// <param name="dateOnly">True when the lab sent a date without a time.</param>
    /// <param name="problem">Why it was not read.</param>
    public static bool TryParse(string text, ResolvedLabConventions lab, string field, out DateTimeOffset value, out bool dateOnly, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(lab);
        value = default;
        dateOnly = false;
        problem = null;
        var t = (text ?? string.Empty).Trim();

        int y, mo, d, h = 0, mi = 0, s = 0;
        long ticks = 0;
        TimeSpan? offset = null;
        var dayMonth = false;
        if (TryIsoFast(t, out y, out mo, out d, out h, out mi, out s, out ticks, out dateOnly, out offset))
        {
            // The common shapes, read without a regex: this runs for every result, and a regex match allocates.
        }
        else if (Iso().Match(t) is { Success: true } iso)
        {
            (y, mo, d) = (Int(iso, "y"), Int(iso, "mo"), Int(iso, "d"));
            dateOnly = !iso.Groups["h"].Success;
            if (!dateOnly)
            {
                (h, mi, s) = (Int(iso, "h"), Int(iso, "mi"), iso.Groups["s"].Success ? Int(iso, "s") : 0);
                if (iso.Groups["f"].Success)
                {
                    ticks = (long)(decimal.Parse("0." + iso.Groups["f"].Value[1..], CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond);
                }
            }

            if (iso.Groups["z"].Success)
            {
                var z = iso.Groups["z"].Value.Replace(":", string.Empty, StringComparison.Ordinal);
                offset = z == "Z" ? TimeSpan.Zero
                    : new TimeSpan(int.Parse(z[1..3], CultureInfo.InvariantCulture), int.Parse(z[3..5], CultureInfo.InvariantCulture), 0) * (z[0] == '-' ? -1 : 1);
            }
        }
        else if (DayMonth().Match(t) is { Success: true } dm)
        {
            if (lab.DateOrder == LabDateOrder.Iso)
            {
                problem = $"{field} '{IngestionError.Quote(t)}' is not an ISO 8601 date (yyyy-MM-dd), and the lab's order of day and month is not configured: set {lab.Setting("DateOrder")}=DMY or MDY";
                return false;
            }

            dayMonth = true;
            (d, mo) = lab.DateOrder == LabDateOrder.Dmy ? (Int(dm, "a"), Int(dm, "b")) : (Int(dm, "b"), Int(dm, "a"));
            y = Int(dm, "y");
            dateOnly = !dm.Groups["h"].Success;
            if (!dateOnly)
            {
                (h, mi, s) = (Int(dm, "h"), Int(dm, "mi"), dm.Groups["s"].Success ? Int(dm, "s") : 0);
            }
        }
        else
        {
            problem = $"{field} '{IngestionError.Quote(t)}' is not an ISO 8601 date-time";
            return false;
        }

        if (offset is not null && dateOnly)
        {
            problem = $"{field} '{IngestionError.Quote(t)}' has an offset but no time";
            return false;
        }

        if (offset is { } z2 && z2.Duration() > TimeSpan.FromHours(14))
        {
            problem = $"{field} '{IngestionError.Quote(t)}' has an offset beyond ±14:00";
            return false;
        }

        if (y < 1 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo) || h > 23 || mi > 59 || s > 59)
        {
            problem = dayMonth
                ? $"{field} '{IngestionError.Quote(t)}' is not a valid date under {lab.Setting("DateOrder")}={lab.DateOrder.ToString().ToUpperInvariant()}"
                : $"{field} '{IngestionError.Quote(t)}' is not a valid date-time";
            return false;
        }

        var local = new DateTime(y, mo, d, dateOnly ? DateOnlyHour : h, mi, s, DateTimeKind.Unspecified).AddTicks(ticks);
        value = new DateTimeOffset(local, offset ?? lab.TimeZone.GetUtcOffset(local));
        return true;
    }

    /// <summary>
    /// <c>yyyy-MM-dd</c>, optionally <c>T</c> or space + <c>HH:mm[:ss[.f…]]</c> + <c>Z</c> or <c>±hh[:]mm</c>, parsed on the
    /// span. False for any other shape (the regexes then decide).
    /// </summary>
    private static bool TryIsoFast(ReadOnlySpan<char> t, out int y, out int mo, out int d, out int h, out int mi, out int s, out long ticks,
        out bool dateOnly, out TimeSpan? offset)
    {
        (y, mo, d, h, mi, s, ticks, dateOnly, offset) = (0, 0, 0, 0, 0, 0, 0, false, null);
        if (t.Length < 10 || t[4] != '-' || t[7] != '-' || !Digits(t[..4], out y) || !Digits(t.Slice(5, 2), out mo) || !Digits(t.Slice(8, 2), out d))
        {
            return false;
        }

        if (t.Length == 10)
        {
            dateOnly = true;
            return true;
        }

        if (t.Length < 16 || t[10] is not ('T' or ' ') || t[13] != ':' || !Digits(t.Slice(11, 2), out h) || !Digits(t.Slice(14, 2), out mi))
        {
            return false;
        }

        var i = 16;
        if (i < t.Length && t[i] == ':')
        {
            if (i + 3 > t.Length || !Digits(t.Slice(i + 1, 2), out s))
            {
                return false;
            }

            i += 3;
            if (i < t.Length && t[i] is '.' or ',')
            {
                var start = ++i;
                while (i < t.Length && char.IsAsciiDigit(t[i]) && i - start < 7)
                {
                    ticks = (ticks * 10) + (t[i++] - '0');
                }

                if (i == start || (i < t.Length && char.IsAsciiDigit(t[i])))
                {
                    return false;
                }

                for (var n = i - start; n < 7; n++)
                {
                    ticks *= 10;
                }
            }
        }

        var rest = t[i..];
        if (rest.IsEmpty)
        {
            return true;
        }

        if (rest is "Z")
        {
            offset = TimeSpan.Zero;
            return true;
        }

        if (rest[0] is not ('+' or '-') || !Digits(rest.Slice(1, Math.Min(2, rest.Length - 1)), out var oh) || rest.Length < 3)
        {
            return false;
        }

        var m = rest[3..];
        if (!m.IsEmpty && m[0] == ':')
        {
            m = m[1..];
        }

        if (m.Length != 2 || !Digits(m, out var om))
        {
            return false;
        }

        offset = new TimeSpan(oh, om, 0) * (rest[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> span, out int value)
    {
        value = 0;
        if (span.IsEmpty)
        {
            return false;
        }

        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
}

using System.Globalization;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules.Cytopenia;

/// <summary>
/// Early neutropenic ICAHT (EHA/EBMT 2023, Rejeski et al.; docs/clinical.md §2.6), graded on the cumulative days of
/// ANC ≤ 0.5 × 10⁹/L in days 0–30: grade 1 under 7 days, 2 for 7–13, 3 for 14 or more (or ANC ≤ 0.1 for 7 days or more),
/// 4 for 30 or more. Days between two measured days are counted only when the gap is short enough to tell
/// (<c>maxGapDays</c>) and both sides agree; otherwise they are unknown and the grade may not be determinable.
/// </summary>
public static class EarlyIcaht
{
    private const decimal Neutropenic = 0.5m;
    private const decimal Profound = 0.1m;

    /// <summary>The grade text for the ANC history of days 0 to <paramref name="untilDay"/> (at most 30).</summary>
    public static string Describe(RuleContext context, IReadOnlyList<LabResult> anc, int untilDay, int maxGapDays)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(anc);
        var end = Math.Min(untilDay, 30);

        // The lowest value of each day (a day with any ANC ≤ 0.5 is a neutropenic day); censored values that cannot tell are skipped.
        var lowest = new SortedDictionary<int, decimal>();
        foreach (var r in anc)
        {
            var day = context.Day(r);
            if (day < 0 || day > end || r.Value is not { } v || (r.Comparator is ">" or ">=" && v < Neutropenic))
            {
                continue;
            }

            lowest[day] = lowest.TryGetValue(day, out var held) ? Math.Min(held, v) : v;
        }

        var (days, unknown) = Count(lowest, end, maxGapDays, Neutropenic);
        var (profound, profoundUnknown) = Count(lowest, end, maxGapDays, Profound);
        var low = Grade(days, profound);
        var high = Grade(days + unknown, profound + profoundUnknown);
        var period = $"days 0–{end.ToString(CultureInfo.InvariantCulture)}";
        var sofar = end < 30 ? " so far" : string.Empty;
        var source = end < 30 ? "EHA/EBMT 2023, final at day +30" : "EHA/EBMT 2023";
        if (low == high)
        {
            var gaps = unknown > 0 ? $", {unknown} not measured" : string.Empty;
            return $"early ICAHT grade {low}{sofar} (ANC ≤ 0.5 ×10⁹/L on {days} of {period}{gaps}; {source})";
        }

        return $"early ICAHT cannot be graded{sofar}: ANC not measured on {unknown} of {period} (grade {low} to {high}; ANC ≤ 0.5 ×10⁹/L on {days} days; {source})";
    }

    /// <summary>Days at or below <paramref name="level"/> and days that cannot be told, over days 0 to <paramref name="end"/>.</summary>
    private static (int Days, int Unknown) Count(SortedDictionary<int, decimal> lowest, int end, int maxGapDays, decimal level)
    {
        int days = 0, unknown = 0;
        int? previousDay = null;
        var previousLow = false;
        foreach (var (day, value) in lowest)
        {
            var low = value <= level;
            var gap = day - (previousDay ?? -1) - 1; // days between the previous measured day (or day −1) and this one
            if (gap > 0)
            {
                if (previousDay is not null && day - previousDay <= maxGapDays && previousLow == low)
                {
                    days += low ? gap : 0;
                }
                else
                {
                    unknown += gap;
                }
            }

            days += low ? 1 : 0;
            (previousDay, previousLow) = (day, low);
        }

        unknown += end - (previousDay ?? -1);
        return (days, unknown);
    }

    private static int Grade(int days, int profoundDays)
    {
        var grade = days switch
        {
            0 => 0,
            < 7 => 1,
            < 14 => 2,
            < 30 => 3,
            _ => 4,
        };
        return profoundDays >= 7 ? Math.Max(grade, 3) : grade;
    }
}

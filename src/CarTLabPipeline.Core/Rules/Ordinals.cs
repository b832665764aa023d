using System.Globalization;

namespace CarTLabPipeline.Rules;

/// <summary>English ordinals for alert texts: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st.</summary>
public static class Ordinals
{
    /// <summary>The ordinal of <paramref name="n"/> (n ≥ 0).</summary>
    public static string Of(int n)
    {
        var suffix = (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch
        {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        };
        return n.ToString(CultureInfo.InvariantCulture) + suffix;
    }
}

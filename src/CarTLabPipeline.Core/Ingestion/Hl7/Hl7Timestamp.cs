using System.Globalization;
using System.Text.RegularExpressions;

namespace CarTLabPipeline.Ingestion.Hl7;

/// <summary>HL7 v2 TS/DTM: <c>YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]</c>, converted to ISO 8601 text.</summary>
public static partial class Hl7Timestamp
{
    [GeneratedRegex(@"^(?<y>\d{4})(?<mo>\d{2})?(?<d>\d{2})?(?<h>\d{2})?(?<mi>\d{2})?(?<s>\d{2})?(?<f>\.\d{1,4})?(?<z>[+-]\d{4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>
    /// ISO 8601 text of <paramref name="value"/>: with its offset when the lab sent one, without otherwise (the normaliser
    /// then reads it in the lab's zone). A date without a time stays a date (<c>2025-03-10</c>: a calendar date); missing
    /// minutes or seconds are zero. A value less precise than a day is not a collection time: false.
    /// </summary>
    public static bool TryToIso(string value, out string iso)
    {
        iso = string.Empty;
        var m = Pattern().Match(value?.Trim() ?? string.Empty);
        if (!m.Success)
        {
            return false;
        }

        if (!m.Groups["d"].Success)
        {
            return false;
        }

        string Part(string name, string fallback) => m.Groups[name].Success ? m.Groups[name].Value : fallback;
        var date = $"{Part("y", "")}-{Part("mo", "01")}-{Part("d", "01")}";
        var text = m.Groups["h"].Success ? $"{date}T{Part("h", "00")}:{Part("mi", "00")}:{Part("s", "00")}{Part("f", "")}" : date;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return false;
        }

        if (m.Groups["z"].Success && m.Groups["h"].Success)
        {
            var z = m.Groups["z"].Value;
            text += $"{z[..3]}:{z[3..]}";
        }

        iso = text;
        return true;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Ingestion;

/// <summary>A parsed lab value: a number with an optional comparator, and/or a detected/not-detected statement.</summary>
public readonly record struct ParsedValue(decimal? Number, string? Comparator, bool? Detected, string? ImpliedUnit);

/// <summary>
/// Parses the value texts labs send: <c>250</c>, <c>0,7</c>, <c>&lt;0.01</c>, <c>&lt; 0.01 %</c>, <c>not detected</c>,
/// <c>NEG</c>, <c>MRD negative (&lt;0.01%)</c>. Censored values keep their comparator: they are never coerced.
/// </summary>
public static partial class ValueParser
{
    private static readonly HashSet<string> s_notDetected = new(StringComparer.OrdinalIgnoreCase)
    {
        "not detected", "negative", "neg", "nd", "undetectable", "undetected", "none detected", "absent", "mrd negative",
        "not detectable", "no mrd detected",
    };

    private static readonly HashSet<string> s_detected = new(StringComparer.OrdinalIgnoreCase)
    {
        "detected", "positive", "pos", "present", "mrd positive", "detectable",
    };

    [GeneratedRegex(@"^(?<cmp><=|>=|=<|=>|<|>|≤|≥)?\s*(?<num>[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?)\s*(?<pct>%)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^(?<text>[^()]*?)\s*\((?<inner>[^()]*)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TextWithParenthesis();

    /// <summary>Parses <paramref name="text"/>; false when it is neither a number, a censored number nor a known text.</summary>
    public static bool TryParse(string text, out ParsedValue value)
    {
        value = default;
        var t = (text ?? string.Empty).Trim();
        if (t.Length == 0)
        {
            return false;
        }

        if (TryParseNumber(t, out value))
        {
            return true;
        }

        if (s_notDetected.Contains(t))
        {
            value = new ParsedValue(null, null, false, null);
            return true;
        }

        if (s_detected.Contains(t))
        {
            value = new ParsedValue(null, null, true, null);
            return true;
        }

        // "MRD negative (<0.01%)", "not detected (< 0.01 %)"
        var m = TextWithParenthesis().Match(t);
        if (m.Success && TryParseNumber(m.Groups["inner"].Value.Trim(), out var inner))
        {
            var head = m.Groups["text"].Value.Trim();
            bool? detected = s_notDetected.Contains(head) ? false : s_detected.Contains(head) ? true : null;
            if (detected is not null)
            {
                value = inner with { Detected = detected };
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses an achieved sensitivity into a fraction: <c>1e-4</c>, <c>0.0001</c>, <c>0.01%</c>, <c>1x10^-4</c>, <c>10^-4</c>,
    /// <c>1 in 10000</c>, <c>1x10\S\-4</c> after HL7 unescaping.
    /// </summary>
    public static bool TryParseSensitivity(string? text, out decimal fraction)
    {
        fraction = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim().Replace(" ", string.Empty, StringComparison.Ordinal).Replace('×', 'x').ToLowerInvariant();
        var power = SensitivityPower().Match(t);
        if (power.Success)
        {
            var mantissa = power.Groups["m"].Success && power.Groups["m"].Value.Length > 0
                ? decimal.Parse(power.Groups["m"].Value, CultureInfo.InvariantCulture)
                : 1m;
            var exponent = int.Parse(power.Groups["e"].Value, CultureInfo.InvariantCulture);
            if (exponent is < -12 or > 0)
            {
                return false;
            }

            fraction = mantissa * (decimal)Math.Pow(10, exponent);
            return fraction is > 0 and <= 1;
        }

        var oneIn = OneIn().Match(t);
        if (oneIn.Success && decimal.TryParse(oneIn.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 1)
        {
            fraction = 1m / n;
            return true;
        }

        var isPercent = t.EndsWith('%');
        if (decimal.TryParse(t.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain > 0)
        {
            fraction = isPercent ? plain / 100m : plain;
            return fraction <= 1;
        }

        return false;
    }

    /// <summary>
    /// Finds an achieved sensitivity stated in free text (HL7 NTE, FHIR notes): "Sensitivity 1x10^-4 (0.01%)",
    /// "sensitivity: 1e-4", "at 0.002% sensitivity", "LOD 10^-5". Returns the text of the value, or null.
    /// </summary>
    public static string? FindSensitivity(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (Match m in SensitivityInText().Matches(text))
        {
            var candidate = m.Groups["after"].Success && m.Groups["after"].Value.Length > 0 ? m.Groups["after"].Value : m.Groups["before"].Value;
            if (TryParseSensitivity(candidate, out _))
            {
                return candidate;
            }
        }

        return null;
    }

    [GeneratedRegex(@"(?:(?:sensitivity|LOD|limit of detection)\s*(?:of|:|=|at)?\s*(?<after>[0-9][0-9.,]*\s*(?:[x×]\s*10\^?\*?-?\d+|[eE]-?\d+|%)?|10\^?-\d+))|(?:(?<before>[0-9][0-9.,]*\s*(?:[x×]\s*10\^?\*?-?\d+|[eE]-?\d+|%)?)\s*sensitivity)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SensitivityInText();

    [GeneratedRegex(@"^(?<m>\d+(\.\d+)?)?x?10\^?\*?(?<e>[+-]?\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SensitivityPower();

    [GeneratedRegex(@"^1(in|/)(?<n>[\d,.]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex OneIn();

    private static bool TryParseNumber(string t, out ParsedValue value)
    {
        value = default;
        var m = NumberPattern().Match(t);
        if (!m.Success)
        {
            return false;
        }

        var number = m.Groups["num"].Value.Replace(',', '.');
        if (!decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return false;
        }

        var cmp = m.Groups["cmp"].Success ? Comparator.Normalise(m.Groups["cmp"].Value) : null;
        value = new ParsedValue(d, cmp, null, m.Groups["pct"].Success ? "%" : null);
        return true;
    }
}

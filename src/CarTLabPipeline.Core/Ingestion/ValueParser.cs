using System.Globalization;
using System.Text.RegularExpressions;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Ingestion;

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

    [GeneratedRegex(@"^(?<cmp><=|>=|=<|=>|<|>|≤|≥)?\s*(?<num>[+-]?(\d[\d.,]*)?\d([eE][+-]?\d+)?|[+-]?[.,]\d+)\s*(?<pct>%)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^(?<text>[^()]*?)\s*\((?<inner>[^()]*)\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TextWithParenthesis();

    /// <summary>"detected &lt;0.01 %", "positive: &lt; 0.01%": a statement followed by a censored number.</summary>
    [GeneratedRegex(@"^(?<text>[A-Za-z][A-Za-z ]*?)\s*[:,]?\s*(?<inner>(<=|=<|<|≤)\s*[\d.,]+\s*%?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex TextWithCensoredNumber();

    /// <summary>A number whose one separator is followed by exactly three digits: <c>1.200</c>, <c>210,000</c>.</summary>
    [GeneratedRegex(@"^[+-]?[1-9]\d{0,2}[.,]\d{3}$", RegexOptions.CultureInvariant)]
    private static partial Regex EitherSeparator();

    /// <summary>Thousands grouped by commas: the first group has no leading zero (<c>0,005</c> is no thousands number).</summary>
    [GeneratedRegex(@"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CommaGrouped();

    /// <summary>Thousands grouped by dots: the first group has no leading zero (<c>0.005</c> is no thousands number).</summary>
    [GeneratedRegex(@"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DotGrouped();

    /// <summary>
    /// Parses <paramref name="text"/> as a lab that writes decimals with <c>.</c> and never groups thousands (JSON numbers,
    /// tests); false when it is neither a number, a censored number nor a known text.
    /// </summary>
    public static bool TryParse(string text, out ParsedValue value) => TryParse(text, '.', null, out value, out _);

    /// <summary>
    /// Parses <paramref name="text"/> under a lab's <paramref name="decimalSeparator"/> (<c>.</c>, <c>,</c>, or null when
    /// not configured). A number that reads two ways under it (<c>1.200</c>, <c>210,000</c> with no separator configured)
    /// is not guessed: false, with <paramref name="problem"/> naming <paramref name="setting"/>, the setting that resolves it.
    /// </summary>
    public static bool TryParse(string text, char? decimalSeparator, string? setting, out ParsedValue value, out string? problem)
    {
        value = default;
        problem = null;
        var t = (text ?? string.Empty).Trim();
        if (t.Length == 0)
        {
            return false;
        }

        if (TryPlainNumber(t, decimalSeparator, out var plain))
        {
            value = new ParsedValue(plain, null, null, null);
            return true;
        }

        var number = NumberPattern().Match(t);
        if (number.Success)
        {
            return TryParseNumber(number, decimalSeparator, setting, out value, out problem);
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

        // "MRD negative (<0.01%)", "not detected (< 0.01 %)", "positive (<0.01%)", "detected <0.01 %"
        var m = TextWithParenthesis().Match(t);
        if (!m.Success)
        {
            m = TextWithCensoredNumber().Match(t);
        }

        if (m.Success && NumberPattern().Match(m.Groups["inner"].Value.Trim()) is { Success: true } innerNumber &&
            TryParseNumber(innerNumber, decimalSeparator, setting, out var inner, out problem))
        {
            var head = m.Groups["text"].Value.Trim();
            bool? detected = s_notDetected.Contains(head) ? false : s_detected.Contains(head) ? true : null;
            if (detected is not null)
            {
                value = inner with { Detected = detected };
                return true;
            }
        }

        if (problem is not null && !m.Success)
        {
            problem = null;
        }

        return false;
    }

    /// <summary>
    /// Parses an achieved sensitivity into a fraction, in every spelling of docs/clinical.md §1.2: <c>1e-4</c>, <c>10E-4</c> and
    /// <c>10^-4</c> (both 10⁻⁴), <c>1x10-4</c>, <c>1x10^-4</c>, <c>1 in 10,000</c>, <c>1/10000</c>, <c>0.0001</c>,
    /// <c>0.01%</c>, <c>0,01%</c>. Only unambiguous readings are taken: <c>0,01</c> has a leading zero, so its comma is a
    /// decimal point; the denominator of "1 in N" is a whole number, so its separators group thousands.
    /// </summary>
    public static bool TryParseSensitivity(string? text, out decimal fraction)
    {
        fraction = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim().Replace('×', 'x').Replace('\u2212', '-').ToLowerInvariant();
        var compact = t.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\u00a0", string.Empty, StringComparison.Ordinal)
            .Replace("\u202f", string.Empty, StringComparison.Ordinal);
        var power = SensitivityPower().Match(compact);
        if (power.Success)
        {
            var mantissa = power.Groups["m"].Success && power.Groups["m"].Value.Length > 0
                ? decimal.Parse(power.Groups["m"].Value.Replace(',', '.'), CultureInfo.InvariantCulture)
                : 1m;
            var exponent = int.Parse(power.Groups["e"].Value, CultureInfo.InvariantCulture);
            if (exponent is < -12 or > 0)
            {
                return false;
            }

            fraction = mantissa * Pow10(exponent);
            return fraction is > 0 and <= 1;
        }

        var oneIn = OneIn().Match(t);
        if (oneIn.Success)
        {
            var digits = oneIn.Groups["n"].Value;
            if (WholeNumber().IsMatch(digits) &&
                decimal.TryParse(new string([.. digits.Where(char.IsAsciiDigit)]), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
            {
                fraction = 1m / n;
                return true;
            }

            return false;
        }

        var isPercent = compact.EndsWith('%');
        var number = compact.TrimEnd('%');
        if (LeadingZeroComma().IsMatch(number))
        {
            number = number.Replace(',', '.');
        }

        if (!number.Contains(',', StringComparison.Ordinal) &&
            decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) && plain > 0)
        {
            fraction = isPercent ? plain / 100m : plain;
            return fraction <= 1;
        }

        return false;
    }

    private static decimal Pow10(int exponent)
    {
        var p = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            p = exponent < 0 ? p / 10m : p * 10m;
        }

        return p;
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

    [GeneratedRegex(@"(?:(?:sensitivity|LOD|limit of detection)\s*(?:of|:|=|at)?\s*(?<after>1\s*in\s*\d[\d,. ]*\d|[0-9][0-9.,]*\s*(?:[x×*]\s*10(?:\^|\*|e)?-?\d+|[eE]-?\d+|%)?|10(?:\^|\*|e)?-\d+))|(?:(?<before>1\s*in\s*\d[\d,. ]*\d|[0-9][0-9.,]*\s*(?:[x×*]\s*10(?:\^|\*|e)?-?\d+|[eE]-?\d+|%)?)\s*sensitivity)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SensitivityInText();

    /// <summary><c>10^-4</c>, <c>10E-4</c>, <c>1x10-4</c>, <c>2.5x10^-5</c>, <c>1*10**-4</c>: ten to a power, the mantissa optional.</summary>
    [GeneratedRegex(@"^((?<m>\d+([.,]\d+)?)[x*])?10(\^|\*\*|\*|e)?(?<e>[+-]?\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SensitivityPower();

    [GeneratedRegex(@"^1\s*(in|/|:)\s*(?<n>\d[\d,.\s\u00a0\u202f]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex OneIn();

    /// <summary>A whole number, its thousands grouped by one separator or none: <c>10000</c>, <c>10,000</c>, <c>10 000</c>, <c>1.000.000</c>.</summary>
    [GeneratedRegex(@"^\d{1,3}((,\d{3})+|(\.\d{3})+|([\s\u00a0\u202f]\d{3})+)$|^\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"^0,\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingZeroComma();

    private static bool TryParseNumber(Match m, char? decimalSeparator, string? setting, out ParsedValue value, out string? problem)
    {
        value = default;
        problem = null;
        if (!TryParseDecimal(m.Groups["num"].Value, decimalSeparator, setting, out var d, out problem))
        {
            return false;
        }

        var cmp = m.Groups["cmp"].Success ? Comparator.Normalise(m.Groups["cmp"].Value) : null;
        value = new ParsedValue(d, cmp, null, m.Groups["pct"].Success ? "%" : null);
        return true;
    }

    /// <summary>
    /// A decimal written with the lab's separators: the decimal one once at most, the other only between groups of three
    /// digits (thousands). Unset: <c>.</c> is the decimal point, and a number that reads two ways is refused.
    /// </summary>
    private static bool TryParseDecimal(string token, char? decimalSeparator, string? setting, out decimal value, out string? problem)
    {
        value = 0;
        problem = null;
        var e = token.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? token : token[..e];
        var exponent = e < 0 ? string.Empty : token[e..];
        var hint = setting ?? "the lab's DecimalSeparator";
        if (mantissa.AsSpan().IndexOfAny('.', ',') >= 0)
        {
            if (decimalSeparator is null && EitherSeparator().IsMatch(mantissa))
            {
                var sep = mantissa.Contains('.', StringComparison.Ordinal) ? '.' : ',';
                var asDecimal = decimal.Parse(mantissa.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture);
                var asThousands = decimal.Parse(mantissa.Replace(sep.ToString(), string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);
                problem = string.Create(CultureInfo.InvariantCulture,
                    $"'{mantissa}' reads as {UnitsText(asDecimal)} or {UnitsText(asThousands)} ('{sep}' could be a decimal or a thousands separator) and the lab's decimal separator is not configured: set {hint}=. or ,");
                return false;
            }

            var decimalPoint = decimalSeparator ?? '.';
            var grouped = decimalPoint == '.' ? CommaGrouped() : DotGrouped();
            var thousands = decimalPoint == '.' ? ',' : '.';
            if (mantissa.Contains(thousands, StringComparison.Ordinal))
            {
                if (!grouped.IsMatch(mantissa))
                {
                    problem = decimalSeparator is null
                        ? $"'{mantissa}' writes ',' as a decimal point, but the lab's decimal separator is not configured (. is assumed): set {hint}=, if that is the lab's"
                        : $"'{mantissa}' is not a number under {hint}={decimalPoint} ('{thousands}' separates thousands in groups of three)";
                    return false;
                }

                mantissa = mantissa.Replace(thousands.ToString(), string.Empty, StringComparison.Ordinal);
            }

            if (mantissa.Count(c => c == decimalPoint) > 1)
            {
                problem = $"'{mantissa}' has more than one decimal separator '{decimalPoint}'";
                return false;
            }

            mantissa = mantissa.Replace(decimalPoint, '.');
        }

        return decimal.TryParse(mantissa + exponent, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// The commonest value, digits with at most one <c>.</c> decimal point (<c>450</c>, <c>0.7</c>), read without a regex
    /// (a match allocates, and this runs for every result). Anything else — and <c>1.200</c> where the lab's separator is
    /// not configured — is left to the full parse.
    /// </summary>
    private static bool TryPlainNumber(string t, char? decimalSeparator, out decimal value)
    {
        value = 0;
        var dot = -1;
        for (var i = 0; i < t.Length; i++)
        {
            if (t[i] == '.' && dot < 0 && i > 0 && i < t.Length - 1)
            {
                dot = i;
            }
            else if (!char.IsAsciiDigit(t[i]))
            {
                return false;
            }
        }

        if (dot >= 0 && (decimalSeparator == ',' || (decimalSeparator is null && EitherSeparator().IsMatch(t))))
        {
            return false;
        }

        return decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static string UnitsText(decimal d) => d.ToString("0.###", CultureInfo.InvariantCulture);
}

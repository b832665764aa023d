using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Units;

/// <summary>
/// Converts a value in a lab's unit spelling to the analyte's canonical unit (docs/design.md §6a, docs/clinical.md §1.2).
/// An unknown unit for a known analyte is an error, never a guess.
/// </summary>
public static class UnitConverter
{
    // Spellings are matched after Canonicalise(): lower-case, no spaces, µ/μ → u, ^ → *, "x10e9" → "10*9".
    private static readonly Dictionary<UnitFamily, Dictionary<string, decimal>> s_factors = new()
    {
        [UnitFamily.CellsPerLitre] = new(StringComparer.Ordinal)
        {
            ["10*9/l"] = 1m,
            ["g/l"] = 1m,
            ["giga/l"] = 1m,
            ["giga.l-1"] = 1m,
            ["gpt/l"] = 1m,
            ["k/ul"] = 1m,
            ["10*3/ul"] = 1m,
            ["thou/ul"] = 1m,
            ["10*3/mm3"] = 1m,
            ["k/mm3"] = 1m,
            ["/ul"] = 0.001m,
            ["cells/ul"] = 0.001m,
            ["{cells}/ul"] = 0.001m,
            ["/mm3"] = 0.001m,
            ["cells/mm3"] = 0.001m,
            ["10*6/l"] = 0.001m,
        },
        [UnitFamily.CellsPerMicrolitre] = new(StringComparer.Ordinal)
        {
            ["/ul"] = 1m,
            ["cells/ul"] = 1m,
            ["{cells}/ul"] = 1m,
            ["/mm3"] = 1m,
            ["cells/mm3"] = 1m,
            ["10*6/l"] = 1m,
            ["10*9/l"] = 1000m,
            ["g/l"] = 1000m,
            ["giga/l"] = 1000m,
            ["giga.l-1"] = 1000m,
            ["k/ul"] = 1000m,
            ["10*3/ul"] = 1000m,
            ["thou/ul"] = 1000m,
        },
        [UnitFamily.Percent] = new(StringComparer.Ordinal)
        {
            ["%"] = 1m,
            ["percent"] = 1m,
            ["%oflymphocytes"] = 1m,
            ["%lymphocytes"] = 1m,
        },
        [UnitFamily.ImmunoglobulinMass] = new(StringComparer.Ordinal)
        {
            ["mg/dl"] = 1m,
            ["g/l"] = 100m,
            ["mg/l"] = 0.1m,
            ["g/dl"] = 1000m,
        },
        [UnitFamily.HaemoglobinMass] = new(StringComparer.Ordinal)
        {
            // mmol/L (monomer) → g/dL: × 1.611 (CTCAE: 10.0 g/dL = 6.2 mmol/L).
            ["g/dl"] = 1m,
            ["g/l"] = 0.1m,
            ["mmol/l"] = 1.611m,
            ["g/ml"] = 100m,
        },
    };

    /// <summary>
    /// Converts <paramref name="value"/> given in <paramref name="unit"/> to the canonical unit of <paramref name="analyte"/>.
    /// </summary>
    /// <returns>The converted value and the canonical UCUM unit, or an error reason.</returns>
    public static UnitConversion Convert(AnalyteInfo analyte, decimal value, string? unit)
    {
        ArgumentNullException.ThrowIfNull(analyte);
        var spelled = unit?.Trim() ?? string.Empty;

        if (analyte.Family == UnitFamily.MrdFraction)
        {
            // MRD keeps the unit it came in: % as given, "1" is a fraction. A number without a unit is one or the other: not
            // guessed here (the normaliser supplies the lab's configured MRD unit, or rejects it).
            return Canonicalise(spelled) switch
            {
                "%" or "percent" => UnitConversion.Ok(value, "%"),
                "1" or "{fraction}" or "fraction" => UnitConversion.Ok(value, "1"),
                "" => UnitConversion.Fail($"{analyte.Keyword} number without a unit: % or a fraction?"),
                _ => UnitConversion.Fail($"unknown unit '{spelled}' for {analyte.Keyword} (expected % or a fraction)"),
            };
        }

        if (spelled.Length == 0)
        {
            return UnitConversion.Fail($"missing unit for {analyte.Keyword} (expected {analyte.DisplayUnit})");
        }

        if (!s_factors[analyte.Family].TryGetValue(Canonicalise(spelled), out var factor))
        {
            return UnitConversion.Fail($"unknown unit '{spelled}' for {analyte.Keyword} (expected {analyte.DisplayUnit} or a known equivalent)");
        }

        return UnitConversion.Ok(factor == 1m ? value : AtSentPrecision(value, factor), analyte.CanonicalUnit);
    }

    /// <summary>
    /// The converted value rounded to the precision the lab sent: the last digit sent, converted, rounded down to a power
    /// of ten. Hb 6.2 mmol/L: its last digit is 0.1 mmol/L = 0.16 g/dL → 0.1 g/dL, so 9.9882 → 10.0 g/dL (CTCAE writes
    /// 10.0 g/dL = 6.2 mmol/L); 1500 cells/µL → 1.500 ×10⁹/L; 2.8 g/L IgG → 280 mg/dL. Digits the lab did not measure are
    /// not invented, so a threshold is compared with what the lab could tell.
    /// </summary>
    internal static decimal AtSentPrecision(decimal value, decimal factor)
    {
        var sentScale = value.Scale;
        var quantum = factor / Pow10(sentScale);
        var exponent = (int)Math.Floor(Math.Log10((double)quantum) + 1e-9);
        var converted = value * factor;
        if (exponent < 0)
        {
            return Math.Round(converted, Math.Min(-exponent, 28), MidpointRounding.AwayFromZero);
        }

        var step = Pow10(exponent);
        return Trim(Math.Round(converted / step, 0, MidpointRounding.AwayFromZero) * step);
    }

    private static decimal Pow10(int exponent)
    {
        var p = 1m;
        for (var i = 0; i < exponent; i++)
        {
            p *= 10m;
        }

        return p;
    }

    /// <summary>The factor from <paramref name="unit"/> to the canonical unit of <paramref name="analyte"/>, or null when unknown.</summary>
    public static decimal? Factor(AnalyteInfo analyte, string unit)
    {
        ArgumentNullException.ThrowIfNull(analyte);
        ArgumentNullException.ThrowIfNull(unit);
        return s_factors.TryGetValue(analyte.Family, out var factors) && factors.TryGetValue(Canonicalise(unit), out var factor) ? factor : null;
    }

    /// <summary>Drops the trailing zeros decimal arithmetic keeps (2.8 g/L × 100 = 280.0 → 280).</summary>
    internal static decimal Trim(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>Folds the spelling variants labs use into one key.</summary>
    internal static string Canonicalise(string unit)
    {
        var u = unit.Trim().Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace('µ', 'u').Replace('μ', 'u').Replace('^', '*').ToLowerInvariant();
        // x10E9/L, x10*9/L, 10E9/L → 10*9/l
        if (u.StartsWith("x10", StringComparison.Ordinal) || u.StartsWith("×10", StringComparison.Ordinal))
        {
            u = u[1..];
        }

        return u.Replace("10e", "10*", StringComparison.Ordinal);
    }
}

using System.Globalization;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules;

/// <summary>How values, days and dates are written in alerts: the way a haematologist writes them.</summary>
public static class ClinicalText
{
    /// <summary><c>+45</c>, <c>0</c>, <c>−5</c> (true minus sign).</summary>
    public static string Day(int day) => day switch
    {
        > 0 => "+" + day.ToString(CultureInfo.InvariantCulture),
        < 0 => "\u2212" + (-day).ToString(CultureInfo.InvariantCulture),
        _ => "0",
    };

    /// <summary>A number without trailing zeros: 250, 0.7, 0.01.</summary>
    public static string Number(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>
    /// The value with comparator and display unit: <c>250 mg/dL</c>, <c>&lt;0.01 %</c>, <c>not detected</c>. A value the
    /// lab sent in another unit is written as sent, the canonical value beside it: <c>6.2 mmol/L (10.0 g/dL)</c>. MRD
    /// detected without a number says so: <c>detected, below the quantifiable limit (sent: positive (&lt;0.01%))</c>, or
    /// <c>detected (level not reported)</c>.
    /// </summary>
    public static string Value(LabResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is null && result.Detected == true && result.Analyte == Analyte.Mrd)
        {
            return result.Comparator is not null
                ? $"detected, below the quantifiable limit (sent: {result.OriginalValue.Trim()})"
                : "detected (level not reported)";
        }

        var canonical = Value(result.Value, result.Comparator, result.Detected, result.Unit, result.OriginalValue);
        if (result.Value is not { } v || !Converted(result))
        {
            return canonical;
        }

        // One decimal kept when the value was rounded to it (10.0 g/dL from 6.2 mmol/L): the precision the lab sent.
        var number = v.Scale == 1 && v == decimal.Truncate(v) ? v.ToString("0.0", CultureInfo.InvariantCulture) : Number(v);
        var display = DisplayUnit(result.Unit);
        var converted = (result.Comparator ?? string.Empty) + number + (display.Length == 0 ? string.Empty : display == "%" ? " %" : " " + display);
        return $"{result.OriginalValue.Trim()} {result.OriginalUnit.Trim()} ({converted})";
    }

    /// <summary>True when the lab sent the value in a unit other than the canonical one (a factor other than 1 applied).</summary>
    private static bool Converted(LabResult result)
    {
        var info = AnalyteCatalog.Get(result.Analyte);
        return info.Family != UnitFamily.MrdFraction && result.OriginalUnit.Trim().Length > 0 && result.OriginalValue.Trim().Length > 0 &&
            Units.UnitConverter.Factor(info, result.OriginalUnit) is { } factor && factor != 1m;
    }

    /// <summary>
    /// The same for the parts of a result (an alert's evidence): <paramref name="unit"/> is the stored UCUM unit;
    /// <paramref name="withoutValue"/> is written when there is neither a number nor a detected/not-detected statement.
    /// </summary>
    public static string Value(decimal? value, string? comparator, bool? detected, string unit, string withoutValue)
    {
        if (value is not { } v)
        {
            return detected switch
            {
                false => "not detected",
                true => "detected",
                _ => withoutValue,
            };
        }

        var display = DisplayUnit(unit);
        var text = (comparator ?? string.Empty) + Number(v);
        var withUnit = display.Length == 0 ? text : display == "%" ? text + " %" : $"{text} {display}";
        return detected == false ? $"not detected ({withUnit})" : withUnit;
    }

    /// <summary>The display form of a result's unit.</summary>
    public static string DisplayUnit(LabResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return DisplayUnit(result.Unit);
    }

    /// <summary>The display form of a stored UCUM unit: <c>10*9/L</c> → <c>×10⁹/L</c>, <c>/uL</c> → <c>cells/µL</c>.</summary>
    public static string DisplayUnit(string unit) => unit switch
    {
        "10*9/L" => "×10⁹/L",
        "/uL" => "cells/µL",
        "1" => string.Empty,
        var u => u,
    };

    /// <summary><c>IgG 250 mg/dL on day +45 (2024-10-11)</c>.</summary>
    public static string Observation(RuleContext context, LabResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"{AnalyteCatalog.Get(result.Analyte).DisplayName} {At(context, result)}";
    }

    /// <summary><c>250 mg/dL on day +45 (2024-10-11)</c>: a value with its day and date, the way every alert cites one.</summary>
    public static string At(RuleContext context, LabResult result) => $"{Value(result)} {When(context, result)}";

    /// <summary><c>on day +45 (2024-10-11)</c>.</summary>
    public static string When(RuleContext context, LabResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        return $"on day {Day(context.Day(result))} ({Date(context, result)})";
    }

    /// <summary>A calendar date, ISO form (<c>2024-10-11</c>).</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The collection date in the patient's time zone, ISO form.</summary>
    public static string Date(RuleContext context, LabResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        return context.LocalDate(result).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}

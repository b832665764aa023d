using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules;

/// <summary>Comparisons that respect censoring: <c>&lt;200</c> is below 300, <c>&lt;500</c> is unknown against 300.</summary>
public static class Threshold
{
    /// <summary>Classifies <paramref name="value"/> (with its comparator) against <paramref name="threshold"/>.</summary>
    public static ThresholdState Compare(decimal? value, string? comparator, decimal threshold)
    {
        if (value is not { } v)
        {
            return ThresholdState.Unknown;
        }

        return comparator switch
        {
            null => v < threshold ? ThresholdState.Below : ThresholdState.AtOrAbove,
            Comparator.LessThan => v <= threshold ? ThresholdState.Below : ThresholdState.Unknown,
            Comparator.LessOrEqual => v < threshold ? ThresholdState.Below : ThresholdState.Unknown,
            Comparator.GreaterThan or Comparator.GreaterOrEqual => v >= threshold ? ThresholdState.AtOrAbove : ThresholdState.Unknown,
            _ => ThresholdState.Unknown,
        };
    }

    /// <summary>True when the value is certainly above <paramref name="threshold"/>, false when certainly not, null when it cannot tell.</summary>
    public static bool? Exceeds(LabResult result, decimal threshold)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Value is not { } v)
        {
            return null;
        }

        return result.Comparator switch
        {
            null => v > threshold,
            Comparator.GreaterThan when v >= threshold => true,
            Comparator.GreaterOrEqual when v > threshold => true,
            Comparator.LessThan or Comparator.LessOrEqual when v <= threshold => false,
            _ => null,
        };
    }

    public static ThresholdState Compare(LabResult result, decimal threshold)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Compare(result.Value, result.Comparator, threshold);
    }

    /// <summary>
    /// Episodes of a series: the first result of each run that goes (certainly) below the threshold, after the series was
    /// not below. Unknown values change nothing. "Once per episode": a new episode starts only after a value at or above.
    /// </summary>
    public static IEnumerable<(LabResult Trigger, LabResult? Previous)> LowEpisodes(IEnumerable<LabResult> series, decimal threshold, Func<LabResult, bool>? eligible = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var inEpisode = false;
        LabResult? previous = null;
        foreach (var r in series)
        {
            var state = Compare(r, threshold);
            if (state == ThresholdState.Below && !inEpisode && (eligible?.Invoke(r) ?? true))
            {
                inEpisode = true;
                yield return (r, previous);
            }
            else if (state == ThresholdState.AtOrAbove)
            {
                inEpisode = false;
            }

            if (state != ThresholdState.Unknown)
            {
                previous = r;
            }
        }
    }
}

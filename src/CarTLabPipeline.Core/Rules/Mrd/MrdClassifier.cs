using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules.Mrd;

/// <summary>Reads an MRD result against the threshold and the assay's (sent or default) sensitivity.</summary>
public static class MrdClassifier
{
    public static MrdState Classify(LabResult result, decimal threshold, decimal? defaultSensitivity)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sensitivity = result.Sensitivity ?? defaultSensitivity;
        var adequate = sensitivity is { } s && s <= threshold;
        var fraction = result.MrdFraction;

        if (fraction is not { } f)
        {
            return result.Detected switch
            {
                false => adequate ? MrdState.Negative : MrdState.NotEvaluable,
                true => MrdState.DetectableLow,
                _ => MrdState.NotEvaluable,
            };
        }

        switch (result.Comparator)
        {
            case Comparator.LessThan when f <= threshold:
            case Comparator.LessOrEqual when f < threshold:
                return adequate ? MrdState.Negative : MrdState.NotEvaluable;
            case Comparator.GreaterThan or Comparator.GreaterOrEqual when f >= threshold:
                return MrdState.Positive;
            case null:
                if (result.Detected == false || f == 0)
                {
                    return adequate ? MrdState.Negative : MrdState.NotEvaluable;
                }

                return f >= threshold ? MrdState.Positive : MrdState.DetectableLow;
            default:
                return MrdState.NotEvaluable;
        }
    }

    /// <summary><c>10⁻⁴</c> for 0.0001: how clinicians write MRD sensitivities.</summary>
    public static string PowerOfTen(decimal fraction)
    {
        var exponent = Math.Log10((double)fraction);
        var rounded = Math.Round(exponent);
        if (Math.Abs(exponent - rounded) > 1e-9)
        {
            return ClinicalText.Number(fraction);
        }

        const string superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var digits = string.Concat(Math.Abs((int)rounded).ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => superscripts[c - '0']));
        return "10" + (rounded < 0 ? "⁻" : string.Empty) + digits;
    }
}

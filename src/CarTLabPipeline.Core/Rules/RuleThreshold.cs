using System.Globalization;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules;

/// <summary>
/// A line a rule compares one analyte with, in the analyte's canonical unit (MRD: percent), as charts draw it.
/// <see cref="Timeline"/>: the line a patient's timeline shows for the analyte (one rule per analyte says so).
/// </summary>
public sealed record RuleThreshold(Analyte Analyte, double Value, string Label, bool Timeline = false)
{
    /// <summary>A rule threshold labelled with its value and the analyte's unit: <c>300 mg/dL (rule threshold)</c>.</summary>
    public static RuleThreshold Of(Analyte analyte, double value, bool timeline = false) =>
        new(analyte, value, string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {AnalyteCatalog.Get(analyte).DisplayUnit} (rule threshold)"), timeline);

    /// <summary>The MRD negativity threshold as a percentage: <c>0.01 % (MRD-negative below)</c>.</summary>
    /// <param name="thresholdFraction">The MRD rules' negativity threshold as a fraction (<c>MrdOptions.ThresholdFraction</c>).</param>
    /// <param name="timeline">Whether the patient's timeline shows this line.</param>
    public static RuleThreshold Mrd(double thresholdFraction, bool timeline = false)
    {
        var percent = thresholdFraction * 100;
        return new(Analyte.Mrd, percent, string.Create(CultureInfo.InvariantCulture, $"{percent:0.####} % (MRD-negative below)"), timeline);
    }
}

using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Rules.Mrd;

/// <summary>The MRD series of a patient, each result read against the configured threshold and sensitivity.</summary>
public static class MrdSeries
{
    /// <summary>
    /// The marrow MRD results (specimen marrow, or not stated: the analyte is marrow MRD), each read. A blood MRD is kept
    /// in the record but is not the marrow assessment these rules judge: a negative blood sample collected with a positive
    /// marrow must not hide the marrow's relapse.
    /// </summary>
    public static IEnumerable<(LabResult Result, MrdState State)> Read(RuleContext context, MrdOptions options) =>
        context.Series(Analyte.Mrd).Where(IsMarrow)
            .Select(r => (r, MrdClassifier.Classify(r, (decimal)options.ThresholdFraction, (decimal?)options.DefaultAssaySensitivity)));

    /// <summary>True for a marrow MRD (or one whose specimen the lab did not state).</summary>
    public static bool IsMarrow(LabResult result) => ResultIdentity.SpecimenKind(result?.Specimen) is "" or "marrow";

    /// <summary>The result as it reads in an alert: <c>MRD &lt;0.01 % (sensitivity 10⁻⁴) on day +28 (2024-09-24)</c>.</summary>
    public static string Describe(RuleContext context, LabResult r)
    {
        var value = ClinicalText.Value(r);
        if (r.Sensitivity is { } s)
        {
            var sensitivity = $"sensitivity {MrdClassifier.PowerOfTen(s)}";
            value = value.EndsWith(')') ? $"{value[..^1]}, {sensitivity})" : $"{value} ({sensitivity})";
        }

        return $"MRD {value} {ClinicalText.When(context, r)}";
    }
}

using CarTLabPipeline.Domain;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.Mrd;

/// <summary>The MRD series of a patient, each result read against the configured threshold and sensitivity.</summary>
internal static class MrdSeries
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

/// <summary>
/// <c>mrd.negative-conversion</c>: the first MRD-negative result (not detected or below 10⁻⁴ with sensitivity ≤ 10⁻⁴)
/// on or after day 0 after a positive one; pre-infusion values are the baseline (a pre-infusion negative after bridging is
/// a negative baseline, not a conversion).
/// </summary>
public sealed class MrdNegativeConversionRule(IOptions<RulesOptions> options) : IRule
{
    public const string RuleId = "mrd.negative-conversion";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.MrdNegativeConversion.Enabled)
        {
            yield break;
        }

        LabResult? lastPositive = null;
        foreach (var (r, state) in MrdSeries.Read(context, o.Mrd))
        {
            if (state is MrdState.Positive or MrdState.DetectableLow)
            {
                lastPositive = r;
            }
            else if (state == MrdState.Negative && lastPositive is not null)
            {
                if (!context.IsFollowUp(r))
                {
                    lastPositive = null; // negative before infusion (after bridging): the baseline is negative
                    continue;
                }

                yield return new AlertDraft
                {
                    RuleId = Id,
                    RuleVersion = Version,
                    Severity = o.MrdNegativeConversion.Severity,
                    Title = "MRD-negative conversion",
                    Summary = $"{MrdSeries.Describe(context, r)}; previously {ClinicalText.At(context, lastPositive)}. " +
                        $"MRD negative at the {MrdClassifier.PowerOfTen((decimal)o.Mrd.ThresholdFraction)} level.",
                    SuggestedAction = o.MrdNegativeConversion.SuggestedAction,
                    Triggers = [r],
                    Previous = [lastPositive],
                };
                lastPositive = null;
            }
        }
    }
}

/// <summary>
/// <c>mrd.positive-conversion</c>: MRD ≥ 10⁻⁴ after at least one negative result post infusion (molecular relapse),
/// critical; detectable but below 10⁻⁴ gives the same rule at warning (indeterminate: repeat). Once per episode: again
/// only after a new negative result.
/// </summary>
public sealed class MrdPositiveConversionRule(IOptions<RulesOptions> options) : IRule
{
    public const string RuleId = "mrd.positive-conversion";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        var rule = o.MrdPositiveConversion;
        if (!rule.Enabled)
        {
            yield break;
        }

        var threshold = MrdClassifier.PowerOfTen((decimal)o.Mrd.ThresholdFraction);
        LabResult? lastNegative = null;
        var indeterminateRaised = false;
        foreach (var (r, state) in MrdSeries.Read(context, o.Mrd))
        {
            if (state == MrdState.Negative && context.IsFollowUp(r))
            {
                lastNegative = r;
                indeterminateRaised = false;
                continue;
            }

            if (lastNegative is null || (state == MrdState.DetectableLow && indeterminateRaised) || state is MrdState.Negative or MrdState.NotEvaluable)
            {
                continue;
            }

            var positive = state == MrdState.Positive;
            var since = $"after MRD negativity {ClinicalText.When(context, lastNegative)}";
            yield return new AlertDraft
            {
                RuleId = Id,
                RuleVersion = Version,
                Severity = positive ? rule.Severity : rule.IndeterminateSeverity,
                Title = positive ? "MRD re-emergence after negativity (molecular relapse)" : $"MRD detectable below {threshold} after negativity",
                Summary = positive
                    ? $"{MrdSeries.Describe(context, r)}, at or above {threshold}, {since}."
                    : $"{MrdSeries.Describe(context, r)}: detectable but below {threshold} (indeterminate), {since}.",
                SuggestedAction = positive ? rule.SuggestedAction : rule.IndeterminateSuggestedAction,
                Triggers = [r],
                Previous = [lastNegative],
            };

            if (positive)
            {
                lastNegative = null; // the episode is open until a new negative result
            }
            else
            {
                indeterminateRaised = true;
            }
        }
    }
}

/// <summary>
/// <c>mrd.rising</c>: a follow-up MRD positive and at least 1 log10 above the previous positive value (which may be the
/// pre-infusion baseline); a rise between two pre-infusion values (bridging) is baseline, not an alert.
/// </summary>
public sealed class MrdRisingRule(IOptions<RulesOptions> options) : IRule
{
    public const string RuleId = "mrd.rising";

    public string Id => RuleId;

    public int Version => 1;

    public IEnumerable<AlertDraft> Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        if (!o.MrdRising.Enabled)
        {
            yield break;
        }

        LabResult? previous = null;
        foreach (var (r, state) in MrdSeries.Read(context, o.Mrd))
        {
            if (state == MrdState.Negative)
            {
                previous = null; // a negative ends the run; re-emergence is mrd.positive-conversion
                continue;
            }

            // Only quantified positives are compared: a censored ">" value has no exact rise.
            if (state != MrdState.Positive || r.Comparator is not null || r.MrdFraction is not { } current)
            {
                continue;
            }

            // A pre-infusion value is the baseline a follow-up value is compared with, never a trigger itself.
            if (previous?.MrdFraction is { } before && before > 0 && context.IsFollowUp(r))
            {
                var rise = Math.Log10((double)(current / before));
                if (rise >= o.MrdRising.MinLogIncrease - 1e-9)
                {
                    yield return new AlertDraft
                    {
                        RuleId = Id,
                        RuleVersion = Version,
                        Severity = o.MrdRising.Severity,
                        Title = $"MRD rising ≥ {ClinicalText.Number((decimal)o.MrdRising.MinLogIncrease)} log",
                        Summary = $"{MrdSeries.Describe(context, r)}, up {rise.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} log10 from " +
                            $"{ClinicalText.At(context, previous)}.",
                        SuggestedAction = o.MrdRising.SuggestedAction,
                        Triggers = [r],
                        Previous = [previous],
                    };
                }
            }

            previous = r;
        }
    }
}

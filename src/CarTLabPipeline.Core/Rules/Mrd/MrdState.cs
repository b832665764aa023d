
namespace CarTLabPipeline.Rules.Mrd;

/// <summary>The three-state MRD reading (docs/clinical.md §1.3), plus "cannot tell".</summary>
public enum MrdState
{
    /// <summary>Quantified at or above the threshold (default 10⁻⁴).</summary>
    Positive,
    /// <summary>Detectable but below the threshold (or detected without a number): indeterminate.</summary>
    DetectableLow,
    /// <summary>Not detected, or below the threshold, by an assay whose sensitivity reaches the threshold.</summary>
    Negative,
    /// <summary>A negative without adequate sensitivity, or a censored value that straddles the threshold.</summary>
    NotEvaluable,
}


namespace CarTLabPipeline.Rules;

/// <summary>Where a (possibly censored) value lies against a threshold.</summary>
public enum ThresholdState
{
    /// <summary>Certainly below the threshold.</summary>
    Below,
    /// <summary>Certainly at or above the threshold.</summary>
    AtOrAbove,
    /// <summary>Cannot tell: a censored value whose bound straddles the threshold, or no number.</summary>
    Unknown,
}

using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.MrdNegativeConversion;

/// <summary><c>mrd.negative-conversion</c>.</summary>
public sealed class MrdNegativeConversionOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:MrdNegativeConversion</c>.</summary>
    public static string Section => "MrdNegativeConversion";

    public const string DefaultSuggestedAction = "Record the response; continue MRD surveillance per protocol (bone marrow at month 3, 6 and 12).";

    public MrdNegativeConversionOptions()
    {
        Severity = AlertSeverity.Info;
        SuggestedAction = DefaultSuggestedAction;
    }
}

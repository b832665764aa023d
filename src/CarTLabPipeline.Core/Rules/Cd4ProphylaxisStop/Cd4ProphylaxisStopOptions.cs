using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.Cd4ProphylaxisStop;

/// <summary><c>cd4.prophylaxis-stop</c>.</summary>
public sealed class Cd4ProphylaxisStopOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:Cd4ProphylaxisStop</c>.</summary>
    public static string Section => "Cd4ProphylaxisStop";

    public const double DefaultThresholdCellsPerUl = 300;

    public const string DefaultSuggestedAction =
        "Consider stopping PJP (cotrimoxazole) and HSV/VZV (acyclovir) prophylaxis per protocol; consider starting revaccination.";

    public Cd4ProphylaxisStopOptions()
    {
        Severity = AlertSeverity.Info;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>CD4+ T cells (cells/µL) that must be exceeded. Default 300; published guidance often uses 200.</summary>
    [Range(50, 2000)]
    public double ThresholdCellsPerUl { get; set; } = DefaultThresholdCellsPerUl;

    /// <summary>Consecutive results above the threshold. Default 1; published alternative 2.</summary>
    [Range(1, 10)]
    public int ConsecutiveResults { get; set; } = 1;

    /// <summary>Minimum days between the first and last of those results. Default 0; published alternative 28.</summary>
    [Range(0, 365)]
    public int MinSpanDays { get; set; }

    /// <summary>Earliest day post infusion a result counts. Default 0; e.g. 180 for "at least 6 months".</summary>
    [Range(0, 3650)]
    public int MinDay { get; set; }
}

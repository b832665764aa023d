using System.ComponentModel.DataAnnotations;
using CarTLabPipeline.Alerts;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules;

/// <summary>
/// The <c>Rules</c> configuration section: one subsection per rule (environment: <c>Rules__IgGLow__ThresholdMgPerDl=400</c>).
/// Every subsection is validated at start-up; an invalid value stops the host with a message naming the setting.
/// Defaults are DESIGN §6; docs/rules.md gives the published alternatives.
/// </summary>
public sealed class RulesOptions
{
    public const string SectionName = "Rules";

    public MrdOptions Mrd { get; set; } = new();

    public MrdNegativeConversionOptions MrdNegativeConversion { get; set; } = new();

    public MrdPositiveConversionOptions MrdPositiveConversion { get; set; } = new();

    public MrdRisingOptions MrdRising { get; set; } = new();

    public MrdNoResponse.MrdNoResponseOptions MrdNoResponse { get; set; } = new();

    public BCellRecoveryOptions BCellRecovery { get; set; } = new();

    public IgGLowOptions IgGLow { get; set; } = new();

    public Cd4ProphylaxisStopOptions Cd4ProphylaxisStop { get; set; } = new();

    public SevereNeutropeniaOptions SevereNeutropenia { get; set; } = new();

    public SevereThrombocytopeniaOptions SevereThrombocytopenia { get; set; } = new();

    public SevereAnemiaOptions SevereAnemia { get; set; } = new();

    public CountsRecoveryOptions CountsRecovery { get; set; } = new();

    public MonitoringOverdueOptions MonitoringOverdue { get; set; } = new();

    public UnknownPatientOptions UnknownPatient { get; set; } = new();

    /// <summary>Every subsection with its configuration name, for validation and docs.</summary>
    public IEnumerable<(string Name, object Options)> Sections()
    {
        yield return (nameof(Mrd), Mrd);
        yield return (nameof(MrdNegativeConversion), MrdNegativeConversion);
        yield return (nameof(MrdPositiveConversion), MrdPositiveConversion);
        yield return (nameof(MrdRising), MrdRising);
        yield return (nameof(MrdNoResponse), MrdNoResponse);
        yield return (nameof(BCellRecovery), BCellRecovery);
        yield return (nameof(IgGLow), IgGLow);
        yield return (nameof(Cd4ProphylaxisStop), Cd4ProphylaxisStop);
        yield return (nameof(SevereNeutropenia), SevereNeutropenia);
        yield return (nameof(SevereThrombocytopenia), SevereThrombocytopenia);
        yield return (nameof(SevereAnemia), SevereAnemia);
        yield return (nameof(CountsRecovery), CountsRecovery);
        yield return (nameof(MonitoringOverdue), MonitoringOverdue);
        yield return (nameof(UnknownPatient), UnknownPatient);
    }
}

/// <summary>Validates every subsection of <see cref="RulesOptions"/> (DataAnnotations do not recurse by themselves).</summary>
public sealed class RulesOptionsValidator : IValidateOptions<RulesOptions>
{
    public ValidateOptionsResult Validate(string? name, RulesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (section, value) in options.Sections())
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            {
                failures.AddRange(results.Select(r =>
                    $"{RulesOptions.SectionName}:{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Settings every rule has.</summary>
public abstract class RuleOptions
{
    /// <summary>False turns the rule off. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Severity of the alerts the rule raises.</summary>
    public AlertSeverity Severity { get; set; }

    /// <summary>The non-directive next step shown in the alert (local protocol wins).</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(500)]
    public string SuggestedAction { get; set; } = string.Empty;
}

/// <summary>What the three MRD rules share: the negativity threshold and the assay's default sensitivity.</summary>
public sealed class MrdOptions
{
    /// <summary>MRD-negative means below 10⁻⁴ (0.01 %), the consensus level (clinical.md §1.3). As a fraction.</summary>
    public const double DefaultThresholdFraction = 1e-4;

    /// <summary>Fraction at and above which MRD is positive; below it a negative needs adequate sensitivity. Default 1E-4.</summary>
    [Range(1e-7, 1e-1)]
    public double ThresholdFraction { get; set; } = DefaultThresholdFraction;

    /// <summary>
    /// The assay's sensitivity when the lab does not send one (fraction). Default 1E-4; null means "unknown": a negative
    /// without a stated sensitivity is then not evaluable for the 10⁻⁴ rule.
    /// </summary>
    [Range(1e-8, 1e-1)]
    public double? DefaultAssaySensitivity { get; set; } = DefaultThresholdFraction;
}

/// <summary><c>mrd.negative-conversion</c>.</summary>
public sealed class MrdNegativeConversionOptions : RuleOptions
{
    public const string DefaultSuggestedAction = "Record the response; continue MRD surveillance per protocol (bone marrow at month 3, 6 and 12).";

    public MrdNegativeConversionOptions()
    {
        Severity = AlertSeverity.Info;
        SuggestedAction = DefaultSuggestedAction;
    }
}

/// <summary><c>mrd.positive-conversion</c>.</summary>
public sealed class MrdPositiveConversionOptions : RuleOptions
{
    public const string DefaultSuggestedAction =
        "Confirm on a repeat bone marrow within 2–4 weeks unless high or rising; discuss consolidation (allogeneic HSCT or further therapy).";

    public const string DefaultIndeterminateAction = "Indeterminate result: repeat bone-marrow MRD in 2–4 weeks.";

    public MrdPositiveConversionOptions()
    {
        Severity = AlertSeverity.Critical;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Severity when MRD is detectable but below the threshold. Default warning.</summary>
    public AlertSeverity IndeterminateSeverity { get; set; } = AlertSeverity.Warning;

    [Required(AllowEmptyStrings = false)]
    [StringLength(500)]
    public string IndeterminateSuggestedAction { get; set; } = DefaultIndeterminateAction;
}

/// <summary><c>mrd.rising</c>.</summary>
public sealed class MrdRisingOptions : RuleOptions
{
    public const double DefaultMinLogIncrease = 1.0;

    public const string DefaultSuggestedAction = "Rising MRD: repeat bone marrow promptly and discuss treatment at the CAR-T board.";

    public MrdRisingOptions()
    {
        Severity = AlertSeverity.Critical;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Minimum rise in log10 between two positive values. Default 1.0 (tenfold).</summary>
    [Range(0.1, 6)]
    public double MinLogIncrease { get; set; } = DefaultMinLogIncrease;
}

/// <summary><c>bcell.recovery</c>.</summary>
public sealed class BCellRecoveryOptions : RuleOptions
{
    public const double DefaultPercentThreshold = 1.0;
    public const double DefaultAbsoluteThreshold = 20;
    public const int DefaultEarlyDayLimit = 180;

    public const string DefaultSuggestedAction =
        "Late B-cell recovery (loss of CAR-T persistence): continue MRD monitoring; plan revaccination when appropriate.";

    public const string DefaultEarlySuggestedAction =
        "Early B-cell recovery (before day +180): higher relapse risk — repeat MRD and discuss consolidation (HSCT, re-infusion or maintenance).";

    public BCellRecoveryOptions()
    {
        Severity = AlertSeverity.Info;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>CD19+ B cells, % of lymphocytes, at or above which B cells have recovered. Default 1 %.</summary>
    [Range(0.01, 50)]
    public double PercentThreshold { get; set; } = DefaultPercentThreshold;

    /// <summary>CD19+ B cells, cells/µL, at or above which B cells have recovered. Default 20.</summary>
    [Range(1, 1000)]
    public double AbsoluteThreshold { get; set; } = DefaultAbsoluteThreshold;

    /// <summary>Consecutive recovered samples needed (clinical.md suggests 2 for confirmation). Default 1.</summary>
    [Range(1, 10)]
    public int ConsecutiveResults { get; set; } = 1;

    /// <summary>Recovery before this day is early. Default 180.</summary>
    [Range(1, 3650)]
    public int EarlyDayLimit { get; set; } = DefaultEarlyDayLimit;

    /// <summary>Severity of an early recovery. Default warning.</summary>
    public AlertSeverity EarlySeverity { get; set; } = AlertSeverity.Warning;

    [Required(AllowEmptyStrings = false)]
    [StringLength(500)]
    public string EarlySuggestedAction { get; set; } = DefaultEarlySuggestedAction;
}

/// <summary><c>igg.low</c>: serum IgG below the threshold, once per episode.</summary>
public sealed class IgGLowOptions : RuleOptions
{
    /// <summary>Default threshold: 300 mg/dL (3.0 g/L), the value this project's users asked for.</summary>
    public const double DefaultThresholdMgPerDl = 300;

    public const string DefaultSuggestedAction =
        "Consider immunoglobulin replacement (IVIG/SCIG); compare trough levels if already on replacement.";

    public IgGLowOptions()
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Threshold in mg/dL; published guidance often uses 400 (clinical.md §2.3). Range 50–2,000.</summary>
    [Range(50, 2000)]
    public double ThresholdMgPerDl { get; set; } = DefaultThresholdMgPerDl;
}

/// <summary><c>cd4.prophylaxis-stop</c>.</summary>
public sealed class Cd4ProphylaxisStopOptions : RuleOptions
{
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

/// <summary>Settings shared by the severe cytopenia rules.</summary>
public abstract class CytopeniaOptions : RuleOptions
{
    public const int DefaultMinDay = 14;

    protected CytopeniaOptions(string action, double recoveryThreshold, bool recoveryOnConsecutiveDays)
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = action;
        RecoveryThreshold = recoveryThreshold;
        RecoveryOnConsecutiveDays = recoveryOnConsecutiveDays;
    }

    /// <summary>
    /// A value at or above this (canonical unit) counts towards a recovery (clinical.md §2.6: ANC 0.5 × 10⁹/L, platelets
    /// 20 × 10⁹/L; haemoglobin has no published definition: 8.0 g/dL, the rule's threshold).
    /// </summary>
    [Range(0.01, 500)]
    public double RecoveryThreshold { get; set; }

    /// <summary>Consecutive values, on different days, at or above <see cref="RecoveryThreshold"/> that make a recovery. Default 3.</summary>
    [Range(1, 14)]
    public int RecoveryValues { get; set; } = 3;

    /// <summary>True: those days must be consecutive calendar days (platelets). Default false (neutrophils, haemoglobin).</summary>
    public bool RecoveryOnConsecutiveDays { get; set; }

    /// <summary>Below this value (canonical unit of the analyte) the count is severely low.</summary>
    public abstract double Threshold { get; set; }

    /// <summary>Earlier values are expected after lymphodepletion and do not alert (unless after a recovery, <see cref="RecoveryValues"/>). Default 14.</summary>
    [Range(0, 365)]
    public int MinDay { get; set; } = DefaultMinDay;
}

/// <summary><c>anc.severe-neutropenia</c>.</summary>
public sealed class SevereNeutropeniaOptions() : CytopeniaOptions(DefaultSuggestedAction, 0.5, recoveryOnConsecutiveDays: false)
{
    public const string DefaultSuggestedAction = "Check for infection; consider G-CSF and antimicrobial prophylaxis per protocol.";

    /// <summary>Neutrophils, 10⁹/L. Default 0.5 (CTCAE grade 4).</summary>
    [Range(0.05, 5)]
    public override double Threshold { get; set; } = 0.5;

    /// <summary>
    /// Early ICAHT counts the days between two ANC values as neutropenic (or not) when both agree and they are at most this
    /// many days apart; longer gaps are unknown days. Default 3 (counts at least three times a week in days 0–14).
    /// </summary>
    [Range(1, 14)]
    public int EarlyIcahtMaxGapDays { get; set; } = 3;
}

/// <summary><c>plt.severe-thrombocytopenia</c>.</summary>
public sealed class SevereThrombocytopeniaOptions() : CytopeniaOptions(DefaultSuggestedAction, 20, recoveryOnConsecutiveDays: true)
{
    public const string DefaultSuggestedAction = "Assess bleeding risk; consider platelet transfusion per protocol.";

    /// <summary>Platelets, 10⁹/L. Default 25 (CTCAE grade 4).</summary>
    [Range(1, 200)]
    public override double Threshold { get; set; } = 25;
}

/// <summary><c>hgb.severe-anemia</c>.</summary>
public sealed class SevereAnemiaOptions() : CytopeniaOptions(DefaultSuggestedAction, 8.0, recoveryOnConsecutiveDays: false)
{
    public const string DefaultSuggestedAction = "Assess symptoms; consider red-cell transfusion per protocol.";

    /// <summary>Haemoglobin, g/dL. Default 8.0 (CTCAE grade 3).</summary>
    [Range(3, 15)]
    public override double Threshold { get; set; } = 8.0;
}

/// <summary><c>counts.recovery</c>.</summary>
public sealed class CountsRecoveryOptions : RuleOptions
{
    public const string DefaultSuggestedAction = "Counts recovered: review G-CSF and transfusion support.";

    public CountsRecoveryOptions()
    {
        Severity = AlertSeverity.Info;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Neutrophils (10⁹/L) at or above. Default 1.0.</summary>
    [Range(0.1, 10)]
    public double MinAnc { get; set; } = 1.0;

    /// <summary>Platelets (10⁹/L) at or above. Default 100.</summary>
    [Range(1, 500)]
    public double MinPlatelets { get; set; } = 100;

    /// <summary>Haemoglobin (g/dL) at or above. Default 10.</summary>
    [Range(3, 20)]
    public double MinHaemoglobin { get; set; } = 10;
}

/// <summary><c>monitoring.overdue</c>.</summary>
public sealed class MonitoringOverdueOptions : RuleOptions
{
    public const string DefaultSuggestedAction = "Schedule the missed bone-marrow MRD assessment.";

    public MonitoringOverdueOptions()
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = DefaultSuggestedAction;
    }

    /// <summary>Scheduled MRD assessments, days post infusion. Default day +28, month 3, 6 and 12 (28, 90, 180, 365).</summary>
    [MinLength(1)]
    public int[] AssessmentDays { get; set; } = [28, 90, 180, 365];

    /// <summary>Half-width of each window in days. Default 14.</summary>
    [Range(1, 90)]
    public int WindowDays { get; set; } = 14;
}

/// <summary><c>ingest.unknown-patient</c> (to ops).</summary>
public sealed class UnknownPatientOptions : RuleOptions
{
    public const string DefaultSuggestedAction =
        "Enroll the patient (cartlab enroll / POST /api/patients) or correct the lab's patient id; the results are kept and evaluated at enrollment.";

    public UnknownPatientOptions()
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = DefaultSuggestedAction;
    }
}

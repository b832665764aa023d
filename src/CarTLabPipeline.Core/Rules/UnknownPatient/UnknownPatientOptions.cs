using CarTLabPipeline.Alerts;

namespace CarTLabPipeline.Rules.UnknownPatient;

/// <summary><c>ingest.unknown-patient</c> (to ops).</summary>
public sealed class UnknownPatientOptions : RuleOptions, IRuleSection
{
    /// <summary>Configuration section: <c>Rules:UnknownPatient</c>.</summary>
    public static string Section => "UnknownPatient";

    public const string DefaultSuggestedAction =
        "Enroll the patient (cartlab enroll / POST /api/patients) or correct the lab's patient id; the results are kept and evaluated at enrollment.";

    public UnknownPatientOptions()
    {
        Severity = AlertSeverity.Warning;
        SuggestedAction = DefaultSuggestedAction;
    }
}


namespace CarTLabPipeline.Alerts;

/// <summary>Values of <see cref="AlertEvidence.Role"/>.</summary>
public static class EvidenceRoles
{
    public const string Trigger = "trigger";
    public const string Previous = "previous";
}

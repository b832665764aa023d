namespace CarTLabPipeline.Ports;

/// <summary>Body of a <c>patient-evaluations</c> message (DESIGN §2).</summary>
public sealed record EvaluationRequest(string PatientId, string Reason)
{
    public const string ReasonResults = "results";
    public const string ReasonEnrollment = "enrollment";
    public const string ReasonMonitoring = "monitoring";
}

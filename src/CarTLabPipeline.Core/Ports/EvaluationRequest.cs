namespace CarTLabPipeline.Ports;

/// <summary>Body of a <c>patient-evaluations</c> message (docs/design.md §2).</summary>
public sealed record EvaluationRequest(string PatientId, string Reason)
{
    public const string ReasonResults = "results";
    public const string ReasonEnrollment = "enrollment";

    /// <summary>A treatment event was recorded on the enrollment.</summary>
    public const string ReasonEvent = "event";
    public const string ReasonMonitoring = "monitoring";
}

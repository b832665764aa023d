namespace CarTLabPipeline.Domain;

/// <summary>Result status (HL7 table 0085 / FHIR observation-status, reduced to what the pipeline acts on).</summary>
public enum ResultStatus
{
    /// <summary>Final result: stored and evaluated.</summary>
    Final,
    /// <summary>Preliminary: stored, never raises an alert.</summary>
    Preliminary,
    /// <summary>Corrected or amended: supersedes the result with the same identity.</summary>
    Corrected,
    /// <summary>Cancelled, deleted or entered in error: withdraws the result with the same identity.</summary>
    Cancelled,
}

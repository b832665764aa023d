
namespace CarTLabPipeline.Evaluation;

/// <summary>Outcome of one evaluation: alerts raised, updated (a new revision, notified), retracted, and unchanged.</summary>
public sealed record EvaluationOutcome(string PatientId, bool Enrolled, int Results, int Raised, int Retracted, int Unchanged)
{
    /// <summary>Open alerts whose content changed (or that hold again after a retraction): one notice each.</summary>
    public int Updated { get; init; }
}

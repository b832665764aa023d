
namespace CarTLabPipeline.Evaluation;

/// <summary>
/// Outcome of one evaluation: alerts raised, updated (a new revision, notified), retracted, and unchanged — or that the
/// record was too large to evaluate (<see cref="RecordTooLarge"/>: then the counts are those of its ops alert).
/// </summary>
public sealed record EvaluationOutcome(string PatientId, bool Enrolled, int Results, int Raised, int Retracted, int Unchanged)
{
    /// <summary>Open alerts whose content changed (or that hold again after a retraction): one notice each.</summary>
    public int Updated { get; init; }

    /// <summary>
    /// The record holds more than <see cref="MaxRecordVersions"/> versions: not evaluated, the patient's alerts left as
    /// they were, ops told by <c>evaluation.record-too-large</c> (<see cref="Evaluation.RecordTooLarge"/>).
    /// </summary>
    public bool RecordTooLarge { get; init; }

    /// <summary>The limit the record exceeded (<c>Evaluation__MaxRecordVersions</c>) when <see cref="RecordTooLarge"/>, else null.</summary>
    public int? MaxRecordVersions { get; init; }
}

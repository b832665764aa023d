using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.Evaluation;

/// <summary>
/// <c>evaluation.record-too-large</c>: the patient's record holds more result versions than
/// <see cref="EvaluationOptions.MaxRecordVersions"/>, so the patient is not evaluated — never a guess from part of the
/// record, never an unbounded read. For ops, stored under the patient, one per patient (the id hashes rule and patient
/// only); retracted by the first evaluation that finds the record within the limit. Names the patient id and counts,
/// never a value.
/// </summary>
public static class RecordTooLarge
{
    public const string RuleId = "evaluation.record-too-large";

    /// <summary>The alert's id: the same for every evaluation of the patient.</summary>
    public static string AlertId(string patientId) => AlertIds.Create(RuleId, patientId, []);

    /// <summary>
    /// Whether <paramref name="alert"/> is this alert and not retracted: its patient is not evaluated (acknowledged or not).
    /// </summary>
    public static bool Stands(Alert alert) => alert is { RuleId: RuleId, Status: not AlertStatus.Retracted };

    /// <summary>
    /// Whether <paramref name="stored"/> is this alert, not retracted, saying the record holds more than
    /// <paramref name="limit"/> versions — then new results do not change that (they only add versions), and the record
    /// need not be read to know it. False when there is none, it was retracted, or it was found over another limit.
    /// </summary>
    public static bool StillHolds(StoredAlert? stored, int limit) =>
        stored is { Alert: var alert } && Stands(alert)
        && AlertRevisions.Compare(alert, For(alert.PatientId, limit, alert.ObservedAt, alert.CreatedAt)) == AlertDifference.None;

    /// <summary>The ops alert for a record of more than <paramref name="limit"/> versions.</summary>
    /// <param name="patientId">The patient.</param>
    /// <param name="limit">The limit the record exceeds.</param>
    /// <param name="observedAt">When it was first found too large (kept from evaluation to evaluation: a later one changes nothing).</param>
    /// <param name="now">The evaluation's time.</param>
    public static Alert For(string patientId, int limit, DateTimeOffset observedAt, DateTimeOffset now)
    {
        var n = limit.ToString("N0", CultureInfo.InvariantCulture);
        return Alert.ForOps(RuleId, patientId, [], AlertSeverity.Warning, "A patient's record is too large to evaluate",
            $"Patient {patientId} has more than {n} results on record ({EvaluationOptions.MaxRecordVersionsSetting}={n}), so the patient is " +
            "not evaluated: no alert is raised, and the patient's existing alerts are neither updated nor retracted, until the record fits. " +
            (limit >= 10_000
                ? "A patient followed for years has a few thousand results; a record this large usually comes from a misrouted feed (a device stream, a test file)."
                : "The limit is below the few thousand results a patient followed for years can have: check whether it was lowered on purpose."),
            "Check the feed that sent them: which lab files carried this patient id (the SourceFile of the patient's rows in the LabResults table; " +
            "docs/deploy.md gives the query under evaluation.record-too-large), and stop " +
            $"the feed if they are not this patient's lab results. If the record is real, raise {EvaluationOptions.MaxRecordVersionsSetting} " +
            $"(up to {EvaluationOptions.MaxMaxRecordVersions.ToString("N0", CultureInfo.InvariantCulture)}; the evaluation holds about 1 KB a result " +
            "while it runs) and run cartlab monitor, or wait for the daily monitoring run: the patient is evaluated and this alert retracted.",
            now) with
        {
            ObservedAt = observedAt,
        };
    }
}

using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;

namespace CarTLabPipeline.Evaluation;

/// <summary>
/// A cancellation that withdraws nothing: the lab cancelled a result whose identity matches no result on record (sent
/// without an accession and at another time, or under another accession). Whatever the lab meant to withdraw still
/// stands — and so do the alerts resting on it — so ops are told, by an alert that lasts until a result with that
/// identity is on record. Names the patient id, analyte, file and line, never a value.
/// </summary>
public static class UnmatchedWithdrawals
{
    public const string RuleId = "ingest.unmatched-withdrawal";

    /// <summary>One ops alert per result on record that has only cancelled versions.</summary>
    public static IEnumerable<Alert> For(LabRecord record, Enrollment enrollment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(enrollment);
        foreach (var r in record.Results.Where(r => r.Versions.All(v => v.Status == ResultStatus.Cancelled)))
        {
            var c = r.Current;
            var analyte = AnalyteCatalog.Get(c.Analyte);
            var collected = c.CollectedAtKind switch
            {
                CollectionTimeKind.Date => "collected " + c.CollectedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " (date only)",
                CollectionTimeKind.MessageTime => "sent " + c.CollectedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) + " without a collection time",
                _ => "collected " + c.CollectedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
            };
            var where = c.SourceLine > 0 ? $"{c.SourceFile}, line {c.SourceLine}" : c.SourceFile;
            yield return Alert.ForOps(RuleId, enrollment.PatientId, [r.ResultId], AlertSeverity.Warning,
                "A lab cancelled a result that is not on record",
                $"{c.Lab ?? "A lab"} cancelled a {analyte.DisplayName} result of patient {enrollment.PatientId} {collected} ({where}), " +
                $"but no result {Matching(c.Identity)} is on record. If it was meant to withdraw a stored result " +
                "(one sent without an accession, or at another time), that result and any alert resting on it still stand.",
                "Ask the lab which result it cancelled; have it resend the cancellation with that result's accession (or cancel the " +
                "exact result). Until then, check the patient's open alerts by hand.",
                now) with
            {
                DayPostInfusion = enrollment.DayPostInfusion(c),
                ObservedAt = c.CollectedAt,
            };
        }
    }

    /// <summary>What the cancellation was matched by, in the lab's words: its accession, or the collection time.</summary>
    private static string Matching(string? identity) =>
        identity is { } id && id.StartsWith("acc:", StringComparison.Ordinal) && id.IndexOf('|', StringComparison.Ordinal) is > 4 and var end
            ? $"with accession {id[4..end]} for this analyte"
            : "of this analyte collected at that time";
}

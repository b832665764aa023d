using System.Globalization;
using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Ingestion;
using CarTLabPipeline.Patients;
using CarTLabPipeline.Rules;

namespace CarTLabPipeline.Evaluation;

/// <summary>
/// Compares alert revisions and says, in a haematologist's words, what changed or why an alert no longer holds. Pure:
/// a function of the stored alert, the new one and the current record.
/// </summary>
public static class AlertRevisions
{
    /// <summary>What differs between the stored alert and the one the rules give now (same id).</summary>
    public static AlertDifference Compare(Alert stored, Alert produced)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(produced);
        if (ClinicalKey(stored) != ClinicalKey(produced))
        {
            return AlertDifference.Clinical;
        }

        return FullKey(stored) == FullKey(produced) ? AlertDifference.None : AlertDifference.Silent;
    }

    /// <summary>
    /// The produced alert as the next revision of the stored one: its first stored time kept, open again (an update
    /// needs a new look, so an acknowledgement does not carry over), the change described.
    /// </summary>
    /// <param name="stored">The stored alert.</param>
    /// <param name="produced">What the rules give now for the same id.</param>
    /// <param name="now">The revision time.</param>
    /// <param name="enrollment">The current enrollment: names the treatment event that moved the alert's day 0.</param>
    public static Alert Revise(Alert stored, Alert produced, DateTimeOffset now, Enrollment? enrollment = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(produced);
        var reopened = stored.Status == AlertStatus.Retracted;
        var change = Describe(stored, produced, enrollment);
        return stored.ReviseTo(produced, reopened ? $"the alert holds again{(change is null ? string.Empty : ": " + change)}" : change ?? "details updated", now);
    }

    /// <summary>The stored alert with the new wording and version ids, same revision and status (nobody is told).</summary>
    public static Alert Refresh(Alert stored, Alert produced) => produced with
    {
        CreatedAt = stored.CreatedAt,
        Status = stored.Status,
        Revision = stored.Revision,
        Change = stored.Change,
        UpdatedAt = stored.UpdatedAt,
        AcknowledgedBy = stored.AcknowledgedBy,
        AcknowledgedAt = stored.AcknowledgedAt,
        AcknowledgementNote = stored.AcknowledgementNote,
        Escalations = stored.Escalations,
    };

    /// <summary>
    /// The stored alert, retracted now for <paramref name="reason"/>; when <paramref name="successor"/> (an alert of the same
    /// rule the rules give now) replaces it, the reason says so, so nobody reads "no longer holds" as "all clear".
    /// </summary>
    public static Alert Retract(Alert stored, string reason, DateTimeOffset now, Alert? successor = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var full = successor is null ? reason : $"{reason}; the condition still holds — a new alert replaces it: {successor.Summary}";
        return stored.Retract(full, now, successor?.AlertId);
    }

    /// <summary>
    /// The alert of the same rule that replaces a retracted one: one resting on a result collected at the same instant as
    /// the retracted alert's (a result re-sent under a new accession), or else one no alert stored before.
    /// </summary>
    public static Alert? Successor(Alert retracted, IEnumerable<Alert> produced, IReadOnlySet<string> storedIds)
    {
        ArgumentNullException.ThrowIfNull(retracted);
        ArgumentNullException.ThrowIfNull(produced);
        ArgumentNullException.ThrowIfNull(storedIds);
        var instants = retracted.Evidence.Where(e => e.Role == EvidenceRoles.Trigger).Select(e => e.CollectedAt.UtcTicks).ToHashSet();
        var same = produced.Where(a => a.RuleId == retracted.RuleId && a.AlertId != retracted.AlertId).ToList();
        return same.FirstOrDefault(a => a.Evidence.Any(e => e.Role == EvidenceRoles.Trigger && instants.Contains(e.CollectedAt.UtcTicks)))
            ?? same.FirstOrDefault(a => !storedIds.Contains(a.AlertId));
    }

    /// <summary>
    /// "MRD corrected from 0.05 % to 0.005 %; downgraded from critical to warning — MRD detectable below 10⁻⁴…". Null when
    /// nothing a reader acts on changed. With <paramref name="enrollment"/>, a day 0 that moved because a second infusion or
    /// an HSCT began a new follow-up is said as such (not as a changed infusion date).
    /// </summary>
    public static string? Describe(Alert before, Alert after, Enrollment? enrollment = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var parts = new List<string>();
        foreach (var now in after.Evidence.Where(e => e.Role == EvidenceRoles.Trigger))
        {
            if (before.Evidence.FirstOrDefault(e => e.ResultId == now.ResultId) is not { } was)
            {
                continue;
            }

            if (Value(was) != Value(now))
            {
                parts.Add($"{Name(now.Analyte)} corrected from {Value(was)} to {Value(now)}");
            }

            if (was.CollectedAt != now.CollectedAt)
            {
                parts.Add($"{Name(now.Analyte)} collection time corrected from {Stamp(was.CollectedAt)} to {Stamp(now.CollectedAt)}");
            }
        }

        if (before.InfusionDate != after.InfusionDate)
        {
            var days = before.DayPostInfusion != after.DayPostInfusion ? $": day {ClinicalText.Day(before.DayPostInfusion)} is now day {ClinicalText.Day(after.DayPostInfusion)}" : string.Empty;
            var followUps = enrollment is null ? [] : RuleContext.FollowUps(enrollment);
            if (followUps.FirstOrDefault(f => f.DayZero == after.InfusionDate) is { StartedBy: not null } started)
            {
                parts.Add($"now counted from {started.Describe()}, which started a new follow-up{days}");
            }
            else
            {
                parts.Add($"infusion date changed from {Date(before.InfusionDate)} to {Date(after.InfusionDate)}{days}");
            }
        }
        else if (before.DayPostInfusion != after.DayPostInfusion)
        {
            parts.Add($"now dated day {ClinicalText.Day(after.DayPostInfusion)} (was day {ClinicalText.Day(before.DayPostInfusion)})");
        }

        if (before.Severity != after.Severity)
        {
            var direction = after.Severity > before.Severity ? "upgraded" : "downgraded";
            parts.Add($"{direction} from {Word(before.Severity)} to {Word(after.Severity)} — {Lower(after.Title)}");
        }
        else if (before.Title != after.Title)
        {
            parts.Add($"now: {Lower(after.Title)}");
        }

        if (parts.Count == 0 && before.SuggestedAction != after.SuggestedAction)
        {
            parts.Add("the suggested action changed");
        }

        if (parts.Count == 0 && before.Product != after.Product)
        {
            parts.Add($"product recorded as {after.Product}");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>
    /// Why a stored alert no longer holds, as precisely as the record tells: the result it rested on was withdrawn,
    /// corrected or is only preliminary; the infusion date changed; a second infusion or HSCT began a new follow-up before
    /// it; prophylaxis was recorded as stopped; results collected earlier arrived later.
    /// </summary>
    public static string RetractionReason(Alert alert, LabRecord record, Enrollment enrollment)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(enrollment);
        if (alert.RuleId == UnknownPatientAlerts.RuleId)
        {
            return "the patient has been enrolled";
        }

        if (alert.RuleId == UnmatchedWithdrawals.RuleId)
        {
            return "a result with the cancelled identity is now on record, and the cancellation withdraws it";
        }

        if (alert.RuleId == RecordTooLarge.RuleId)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the patient's record ({record.Results.Count:N0} results) is within {EvaluationOptions.MaxRecordVersionsSetting} now, and the patient was evaluated");
        }

        var followUps = Rules.RuleContext.FollowUps(enrollment);
        if (alert.InfusionDate is { } was && followUps.All(f => f.DayZero != was))
        {
            return $"the infusion date was changed from {Date(was)} to {Date(enrollment.InfusionDate)}, and the rules no longer give this alert";
        }

        // Treatment events recorded since: a follow-up that began on or before the alert's day, a prophylaxis stopped.
        var observed = enrollment.LocalDate(alert.ObservedAt);
        if (followUps.LastOrDefault(f => f.StartedBy is not null && f.DayZero <= observed && f.DayZero != alert.InfusionDate) is { } later)
        {
            return later.IsCarT
                ? $"{later.Describe()} started a new follow-up (day 0) before it, and the rules judging that follow-up no longer give this alert"
                : $"{later.Describe()} ended the CAR-T follow-up before it: {alert.RuleId} applies to CAR-T follow-up only";
        }

        if (alert.RuleId == Rules.Cd4ProphylaxisStop.Cd4ProphylaxisStopRule.RuleId &&
            enrollment.Events.LastOrDefault(e => e.Kind == TreatmentEventKind.ProphylaxisStop && e.Date <= observed) is { } stop)
        {
            return $"prophylaxis was recorded as stopped on {Date(stop.Date)}{(string.IsNullOrWhiteSpace(stop.Detail) ? string.Empty : $" ({stop.Detail.Trim()})")}: the review it asked for is done";
        }

        // What the alert rested on first, then the earlier values it compared them with.
        foreach (var e in alert.Evidence.OrderBy(e => e.Role == EvidenceRoles.Trigger ? 0 : 1))
        {
            var what = e.Role == EvidenceRoles.Trigger
                ? $"the {Name(e.Analyte)} result of {Date(e.CollectedAt)} (day {ClinicalText.Day(e.DayPostInfusion)})"
                : $"the earlier {Name(e.Analyte)} result it was compared with ({Date(e.CollectedAt)}, day {ClinicalText.Day(e.DayPostInfusion)})";
            var found = record.Find(e.ResultId);
            if (found is null)
            {
                return $"{what} is no longer on record";
            }

            if (found.Withdrawn)
            {
                return $"the lab withdrew {what}: its latest version of the result is a cancellation";
            }

            if (!found.Current.IsEvaluable)
            {
                return $"only a preliminary version of {what} is on record";
            }

            var c = found.Current;
            var current = ClinicalText.Value(c.Value, c.Comparator, c.Detected, c.Unit, c.OriginalValue); // as the evidence is written

            if (current != Value(e))
            {
                return $"the lab corrected {what} from {Value(e)} to {current}";
            }
        }

        if (alert.RuleId == Rules.MonitoringOverdue.MonitoringOverdueRule.RuleId)
        {
            return "a result of the scheduled test inside its window is now on record";
        }

        // Results that reached us after the alert was judged: new ones collected before it, or corrections of others.
        var since = alert.UpdatedAt ?? alert.CreatedAt;
        var late = record.Results.Where(r => !r.Withdrawn && r.Versions.Min(v => v.ReceivedAt) > since && r.Current.CollectedAt <= alert.ObservedAt).ToList();
        if (late.Count > 0)
        {
            var first = late[0].Current;
            return $"{late.Count} result(s) collected earlier arrived later (e.g. {Name(AnalyteCatalog.Get(first.Analyte).Keyword)} {ClinicalText.Value(first)} of {Date(first.CollectedAt)}), and the full history no longer supports it";
        }

        var corrected = record.Results.Where(r => r.Versions.Count > 1 && r.Versions.Max(v => v.ReceivedAt) > since).ToList();
        return corrected.Count > 0
            ? $"{corrected.Count} other result(s) were corrected or withdrawn since, and the full history no longer supports it"
            : "the patient's full history no longer supports it";
    }

    private static string ClinicalKey(Alert a) => string.Join('\u001f',
        a.Severity, a.Title, a.SuggestedAction, a.DayPostInfusion, a.InfusionDate, a.Product, a.ObservedAt.UtcTicks,
        string.Join('\u001e', a.Evidence.Where(e => e.Role == EvidenceRoles.Trigger)
            .Select(e => $"{e.ResultId}|{Value(e)}|{e.CollectedAt.UtcTicks}|{e.DayPostInfusion}")));

    private static string FullKey(Alert a) => string.Join('\u001f', ClinicalKey(a), a.Summary, a.RuleVersion, a.DayZeroEvent,
        string.Join('\u001e', a.Evidence.Select(e => $"{e.ResultId}|{e.VersionId}|{e.Role}|{Value(e)}|{e.CollectedAt.UtcTicks}|{e.DayPostInfusion}|{e.Status}")));

    private static string Value(AlertEvidence e) => ClinicalText.Value(e.Value, e.Comparator, e.Detected, e.Unit, e.OriginalValue ?? "—");

    private static string Name(string keyword) => AnalyteCatalog.TryResolve(keyword, out var info) ? ShortName(info) : keyword;

    private static string ShortName(AnalyteInfo info) => info.Analyte switch
    {
        Analyte.Mrd => "MRD",
        _ => info.DisplayName,
    };

    private static string Word(AlertSeverity s) => s.ToString().ToLowerInvariant();

    private static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    private static string Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(none)";

    private static string Date(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>With its offset: two readings of one wall-clock time in different zones must not print alike.</summary>
    private static string Stamp(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
}

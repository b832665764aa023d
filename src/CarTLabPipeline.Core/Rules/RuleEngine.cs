using CarTLabPipeline.Alerts;
using CarTLabPipeline.Domain;
using CarTLabPipeline.Patients;

namespace CarTLabPipeline.Rules;

/// <summary>
/// Runs every rule over a patient's history and turns drafts into alerts with deterministic ids, days and evidence.
/// Pure: the same enrollment and results give the same alerts, whatever their order.
/// </summary>
public sealed class RuleEngine(IEnumerable<IRule> rules)
{
    private readonly IReadOnlyList<IRule> _rules = rules.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();

    public IReadOnlyList<IRule> Rules => _rules;

    /// <summary>Evaluates all rules. <see cref="Alert.CreatedAt"/> is set to <paramref name="asOf"/>; stores keep the first.</summary>
    /// <param name="enrollment">The patient.</param>
    /// <param name="history">Every stored result (any order; non-evaluable ones are ignored).</param>
    /// <param name="asOf">The evaluation time.</param>
    /// <param name="preview">True: judge time-based rules as if the pipeline had followed the patient since infusion.</param>
    public IReadOnlyList<Alert> Evaluate(Enrollment enrollment, IEnumerable<LabResult> history, DateTimeOffset asOf, bool preview = false)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var followUps = RuleContext.FollowUps(enrollment);
        var versions = followUps.Count > 1 ? history.ToList() : history; // read once per follow-up
        return Evaluate(enrollment, followUps, asOf, followUp => new RuleContext(enrollment, versions, asOf, preview ? null : enrollment.EnrolledAt, followUp));
    }

    /// <summary>
    /// Evaluates all rules on a resolved record: the same alerts as <see cref="Evaluate(Enrollment, IEnumerable{LabResult}, DateTimeOffset, bool)"/>
    /// on its versions, without resolving them again (a large patient's record is not indexed twice).
    /// </summary>
    /// <param name="enrollment">The patient.</param>
    /// <param name="record">The patient's record.</param>
    /// <param name="asOf">The evaluation time.</param>
    public IReadOnlyList<Alert> Evaluate(Enrollment enrollment, LabRecord record, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        ArgumentNullException.ThrowIfNull(record);
        return Evaluate(enrollment, RuleContext.FollowUps(enrollment), asOf, followUp => new RuleContext(enrollment, record, asOf, enrollment.EnrolledAt, followUp));
    }

    private List<Alert> Evaluate(Enrollment enrollment, IReadOnlyList<FollowUp> followUps, DateTimeOffset asOf, Func<FollowUp, RuleContext> contextOf)
    {
        var alerts = new Dictionary<string, Alert>(StringComparer.Ordinal);
        foreach (var followUp in followUps)
        {
            // Each follow-up (infusion, second infusion, HSCT) is judged from its own day 0, with everything before as its
            // baseline: the alerts of an earlier follow-up stand as they were given.
            var context = contextOf(followUp);
            foreach (var rule in _rules)
            {
                foreach (var draft in rule.Evaluate(context))
                {
                    var alert = ToAlert(context, draft, asOf);
                    alerts.TryAdd(alert.AlertId, alert);
                }
            }
        }

        return alerts.Values.OrderBy(a => a.ObservedAt.UtcTicks).ThenBy(a => a.AlertId, StringComparer.Ordinal).ToList();
    }

    private static Alert ToAlert(RuleContext context, AlertDraft draft, DateTimeOffset asOf)
    {
        var trigger = draft.Triggers.Count > 0 ? draft.Triggers[^1] : null;
        return new Alert
        {
            AlertId = AlertIds.Create(draft.RuleId, context.Enrollment.PatientId, [.. draft.Triggers.Select(t => t.ResultId), .. draft.IdKeys]),
            PatientId = context.Enrollment.PatientId,
            RuleId = draft.RuleId,
            RuleVersion = draft.RuleVersion,
            Severity = draft.Severity,
            Title = draft.Title,
            Summary = draft.Summary,
            SuggestedAction = draft.SuggestedAction,
            DayPostInfusion = draft.Day ?? context.Day(trigger ?? throw new InvalidOperationException($"{draft.RuleId}: a draft without triggers must set Day")),
            ObservedAt = draft.ObservedAt ?? trigger!.CollectedAt,
            Evidence = [
                .. draft.Triggers.Select(r => Evidence(context, r, EvidenceRoles.Trigger)),
                .. draft.Previous.Select(r => Evidence(context, r, EvidenceRoles.Previous)),
            ],
            Status = AlertStatus.Open,
            CreatedAt = asOf,
            Audience = draft.Audience,
            Product = context.Enrollment.Product,
            InfusionDate = context.DayZero,
            DayZeroEvent = context.FollowUp.StartedBy?.Label,
        };
    }

    private static AlertEvidence Evidence(RuleContext context, LabResult r, string role) => new()
    {
        ResultId = r.ResultId,
        Analyte = AnalyteCatalog.Get(r.Analyte).Keyword,
        Loinc = r.Loinc,
        Value = r.Value,
        Unit = r.Unit,
        Comparator = r.Comparator,
        CollectedAt = r.CollectedAt,
        CollectedDateOnly = r.CollectedAtKind == CollectionTimeKind.Date,
        DayPostInfusion = context.Day(r),
        Role = role,
        Detected = r.Detected,
        VersionId = r.VersionId,
        Status = r.Status,
        OriginalValue = r.OriginalValue,
        OriginalUnit = r.OriginalUnit,
        ReportedAt = r.ReportedAt,
    };
}

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
    public IReadOnlyList<Alert> Evaluate(Enrollment enrollment, IEnumerable<LabResult> history, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        var context = new RuleContext(enrollment, history, asOf);
        var alerts = new Dictionary<string, Alert>(StringComparer.Ordinal);
        foreach (var rule in _rules)
        {
            foreach (var draft in rule.Evaluate(context))
            {
                var alert = ToAlert(context, draft, asOf);
                alerts.TryAdd(alert.AlertId, alert);
            }
        }

        return alerts.Values.OrderBy(a => a.ObservedAt.UtcTicks).ThenBy(a => a.AlertId, StringComparer.Ordinal).ToList();
    }

    private static Alert ToAlert(RuleContext context, AlertDraft draft, DateTimeOffset asOf)
    {
        var trigger = draft.Triggers[^1];
        return new Alert
        {
            AlertId = AlertIds.Create(draft.RuleId, context.Enrollment.PatientId, draft.Triggers.Select(t => t.ResultId)),
            PatientId = context.Enrollment.PatientId,
            RuleId = draft.RuleId,
            RuleVersion = draft.RuleVersion,
            Severity = draft.Severity,
            Title = draft.Title,
            Summary = draft.Summary,
            SuggestedAction = draft.SuggestedAction,
            DayPostInfusion = context.Day(trigger),
            ObservedAt = trigger.CollectedAt,
            Evidence = [
                .. draft.Triggers.Select(r => Evidence(context, r, EvidenceRoles.Trigger)),
                .. draft.Previous.Select(r => Evidence(context, r, EvidenceRoles.Previous)),
            ],
            Status = AlertStatus.Open,
            CreatedAt = asOf,
            Audience = draft.Audience,
            Product = context.Enrollment.Product,
            InfusionDate = context.Enrollment.InfusionDate,
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
        DayPostInfusion = context.Day(r),
        Role = role,
        Detected = r.Detected,
    };
}

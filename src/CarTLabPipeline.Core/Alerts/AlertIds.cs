using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Alerts;

/// <summary>The deterministic alert id (docs/design.md §5): the same rule, patient and triggering results give the same id.</summary>
public static class AlertIds
{
    /// <summary>Hash of rule id, patient id and the triggering result ids (order-insensitive).</summary>
    public static string Create(string ruleId, string patientId, IEnumerable<string> triggeringResultIds)
    {
        ArgumentNullException.ThrowIfNull(triggeringResultIds);
        var ids = triggeringResultIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return ResultIds.Hash(["alert", ruleId, patientId, .. ids]);
    }
}

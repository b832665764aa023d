
namespace CarTLabPipeline.Evaluation;

/// <summary>How a stored alert compares with what the rules now give for the same alert id.</summary>
public enum AlertDifference
{
    /// <summary>Nothing to write.</summary>
    None,
    /// <summary>Only what no reader acts on changed (wording of earlier values, version ids): stored without a notice.</summary>
    Silent,
    /// <summary>What a reader acts on changed (a value, the severity, the day, the action): a new revision, notified once.</summary>
    Clinical,
}

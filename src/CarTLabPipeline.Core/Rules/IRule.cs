
namespace CarTLabPipeline.Rules;

/// <summary>
/// A clinical rule. It sees the patient's whole evaluable history in time order and returns every alert that history
/// supports, so the result does not depend on the order results arrived in (docs/design.md §6).
/// </summary>
public interface IRule
{
    /// <summary>Contract id, e.g. <c>igg.low</c>.</summary>
    string Id { get; }

    /// <summary>Bumped when the rule's logic changes meaning.</summary>
    int Version { get; }

    /// <summary>The lines the rule compares values with, as charts draw them (from its options); empty when none.</summary>
    IEnumerable<RuleThreshold> Thresholds { get; }

    IEnumerable<AlertDraft> Evaluate(RuleContext context);
}

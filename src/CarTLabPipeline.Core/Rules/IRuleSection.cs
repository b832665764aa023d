
namespace CarTLabPipeline.Rules;

/// <summary>
/// A rule's options: bound from the configuration section <c>Rules:{Section}</c> (environment:
/// <c>Rules__IgGLow__ThresholdMgPerDl=400</c>) and validated at start-up from its DataAnnotations attributes by
/// <see cref="RuleOptionsValidator{TOptions}"/>; an invalid value stops the host with a message naming the setting.
/// Each options class lives in its rule's folder; defaults are docs/design.md §6, docs/rules.md gives the published alternatives.
/// </summary>
public interface IRuleSection
{
    /// <summary>The configuration section of all rule options.</summary>
    const string Root = "Rules";

    /// <summary>The subsection under <see cref="Root"/>, e.g. <c>IgGLow</c>.</summary>
    static abstract string Section { get; }
}

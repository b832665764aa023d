using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Cytopenia;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.SevereThrombocytopenia;

/// <summary><c>plt.severe-thrombocytopenia</c>: platelets below 25 × 10⁹/L (CTCAE grade 4).</summary>
public sealed class SevereThrombocytopeniaRule(IOptions<SevereThrombocytopeniaOptions> options) : CytopeniaRule(Analyte.Plt)
{
    public const string RuleId = "plt.severe-thrombocytopenia";

    public override string Id => RuleId;

    protected override CytopeniaOptions Options => options.Value;

    protected override string Condition => "Severe thrombocytopenia";

    protected override string Grade(RuleContext context, LabResult result) =>
        GradeBelow(result.Value!.Value, (25m, 4), (50m, 3), (75m, 2)) is { } g ? $"CTCAE grade {g}" : "below the configured threshold";
}

using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Cytopenia;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.SevereAnemia;

/// <summary><c>hgb.severe-anemia</c>: haemoglobin below 8.0 g/dL (CTCAE grade 3).</summary>
public sealed class SevereAnemiaRule(IOptions<SevereAnemiaOptions> options) : CytopeniaRule(Analyte.Hgb)
{
    public const string RuleId = "hgb.severe-anemia";

    public override string Id => RuleId;

    protected override CytopeniaOptions Options => options.Value;

    protected override string Condition => "Severe anaemia";

    protected override string Grade(RuleContext context, LabResult result) =>
        GradeBelow(result.Value!.Value, (8.0m, 3), (10.0m, 2)) is { } g ? $"CTCAE grade {g}" : "below the configured threshold";
}

using CarTLabPipeline.Domain;
using CarTLabPipeline.Rules.Cytopenia;
using Microsoft.Extensions.Options;

namespace CarTLabPipeline.Rules.SevereNeutropenia;

/// <summary>
/// <c>anc.severe-neutropenia</c>: neutrophils below 0.5 × 10⁹/L (CTCAE grade 4); states the early ICAHT grade (cumulative
/// days of ANC ≤ 0.5 in days 0–30, <see cref="EarlyIcaht"/>) up to day +30 and the late ICAHT grade after.
/// </summary>
public sealed class SevereNeutropeniaRule(IOptions<SevereNeutropeniaOptions> options) : CytopeniaRule(Analyte.Anc)
{
    public const string RuleId = "anc.severe-neutropenia";

    public override string Id => RuleId;

    protected override CytopeniaOptions Options => options.Value;

    protected override string Condition => "Severe neutropenia";

    protected override string Grade(RuleContext context, LabResult result)
    {
        var (value, day) = (result.Value!.Value, context.Day(result));
        var ctcae = GradeBelow(value, (0.5m, 4), (1.0m, 3), (1.5m, 2));
        var text = ctcae is null ? "below the configured threshold" : $"CTCAE grade {ctcae}";
        if (day > 30)
        {
            // Late ICAHT (EHA/EBMT 2023, Rejeski et al.): graded on depth; ≤ bounds, in 10⁹/L.
            var icaht = value <= 0.1m ? 4 : value <= 0.5m ? 3 : value <= 1.0m ? 2 : value <= 1.5m ? 1 : (int?)null;
            if (icaht is not null)
            {
                text += $"; late ICAHT grade {icaht} (EHA/EBMT 2023; applies when non-transient — confirm on a repeat count)";
            }
        }
        else if (day >= 0)
        {
            text += "; " + EarlyIcaht.Describe(context, context.Series(Analyte.Anc), day, options.Value.EarlyIcahtMaxGapDays);
        }

        return text;
    }
}


namespace CarTLabPipeline.Patients;

/// <summary>The JSON names of <see cref="TreatmentEventKind"/>.</summary>
public static class TreatmentEventKinds
{
    private static readonly Dictionary<TreatmentEventKind, string> s_names = new()
    {
        [TreatmentEventKind.BridgingTherapy] = "bridging-therapy",
        [TreatmentEventKind.Lymphodepletion] = "lymphodepletion",
        [TreatmentEventKind.Infusion] = "infusion",
        [TreatmentEventKind.Crs] = "crs",
        [TreatmentEventKind.Icans] = "icans",
        [TreatmentEventKind.ImmunoglobulinStart] = "immunoglobulin-start",
        [TreatmentEventKind.ImmunoglobulinStop] = "immunoglobulin-stop",
        [TreatmentEventKind.ProphylaxisStart] = "prophylaxis-start",
        [TreatmentEventKind.ProphylaxisStop] = "prophylaxis-stop",
        [TreatmentEventKind.Vaccination] = "vaccination",
        [TreatmentEventKind.AllogeneicHsct] = "allogeneic-hsct",
        [TreatmentEventKind.SecondInfusion] = "second-infusion",
    };

    private static readonly Dictionary<string, TreatmentEventKind> s_byName =
        s_names.ToDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every JSON name, in declaration order (for messages and docs).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<TreatmentEventKind>().Select(k => s_names[k])];

    public static string Name(TreatmentEventKind kind) => s_names.TryGetValue(kind, out var name) ? name : kind.ToString();

    /// <summary>Reads a kebab-case name (case-insensitive); false for anything else, numbers included.</summary>
    public static bool TryParse(string? text, out TreatmentEventKind kind) => s_byName.TryGetValue(text?.Trim() ?? string.Empty, out kind);
}

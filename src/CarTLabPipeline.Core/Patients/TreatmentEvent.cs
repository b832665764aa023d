using System.Globalization;
using System.Text.Json.Serialization;

namespace CarTLabPipeline.Patients;

/// <summary>
/// One treatment event of an enrollment. Identity is kind + date + detail (case-insensitive): recording the same event
/// twice keeps one.
/// </summary>
public sealed record TreatmentEvent
{
    /// <summary>Longest detail accepted (characters).</summary>
    public const int MaxDetailLength = 100;

    /// <summary>Longest note accepted (characters).</summary>
    public const int MaxNoteLength = 500;

    [JsonConverter(typeof(TreatmentEventKindJsonConverter))]
    public required TreatmentEventKind Kind { get; init; }

    /// <summary>Calendar date in the patient's time zone.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>ASTCT grade 1–4; only for <c>crs</c> and <c>icans</c>.</summary>
    public int? Grade { get; init; }

    /// <summary>
    /// What exactly: for prophylaxis the agent or its target (<c>cotrimoxazole</c>, <c>acyclovir</c>; none = antimicrobial
    /// prophylaxis in general), for immunoglobulin the route (<c>IVIG</c>, <c>SCIG</c>), for bridging the regimen. Part of
    /// the event's identity; a stop ends the start with the same detail.
    /// </summary>
    public string? Detail { get; init; }

    /// <summary>Free text for people; not used by the rules.</summary>
    public string? Note { get; init; }

    /// <summary>The JSON name of the kind (<c>second-infusion</c>).</summary>
    [JsonIgnore]
    public string KindName => TreatmentEventKinds.Name(Kind);

    /// <summary>The identity: kind, date and detail (trimmed, case-insensitive).</summary>
    [JsonIgnore]
    public string Key => $"{KindName}|{Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}|{DetailKey}";

    /// <summary>The detail as compared (trimmed, lower case; empty when none).</summary>
    [JsonIgnore]
    public string DetailKey => (Detail ?? string.Empty).Trim().ToLowerInvariant();

    /// <summary>A short label for charts and lists: <c>CRS G2</c>, <c>prophylaxis stop (cotrimoxazole)</c>, <c>2nd infusion</c>.</summary>
    [JsonIgnore]
    public string Label => Kind switch
    {
        TreatmentEventKind.Crs => Grade is { } g ? $"CRS G{g}" : "CRS",
        TreatmentEventKind.Icans => Grade is { } g ? $"ICANS G{g}" : "ICANS",
        TreatmentEventKind.BridgingTherapy => "bridging",
        TreatmentEventKind.Lymphodepletion => "LD",
        TreatmentEventKind.Infusion => "infusion",
        TreatmentEventKind.ImmunoglobulinStart => WithDetail("Ig start"),
        TreatmentEventKind.ImmunoglobulinStop => WithDetail("Ig stop"),
        TreatmentEventKind.ProphylaxisStart => WithDetail("prophylaxis start"),
        TreatmentEventKind.ProphylaxisStop => WithDetail("prophylaxis stop"),
        TreatmentEventKind.Vaccination => WithDetail("vaccination"),
        TreatmentEventKind.AllogeneicHsct => "allo-HSCT",
        TreatmentEventKind.SecondInfusion => "2nd infusion",
        _ => KindName,
    };

    private string WithDetail(string text) => string.IsNullOrWhiteSpace(Detail) ? text : $"{text} ({Detail.Trim()})";
}

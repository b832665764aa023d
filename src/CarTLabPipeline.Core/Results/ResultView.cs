using System.Text.Json.Serialization;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Results;

/// <summary>One result of the record: its current version, and every version the lab sent when asked for.</summary>
public sealed record ResultView
{
    /// <summary>The result's id: the same for every version of it.</summary>
    public required string ResultId { get; init; }

    public required string PatientId { get; init; }

    /// <summary>The analyte's keyword (<c>igg</c>, <c>mrd</c>, <c>cd19_abs</c>…).</summary>
    public required string Analyte { get; init; }

    /// <summary>LOINC code as received, or the catalogue default when the lab sent a keyword or local code.</summary>
    public required string Loinc { get; init; }

    /// <summary>The value exactly as the lab sent it in the current version.</summary>
    public required string OriginalValue { get; init; }

    /// <summary>The unit exactly as the lab sent it in the current version.</summary>
    public required string OriginalUnit { get; init; }

    /// <summary>The value in the canonical <see cref="Unit"/> (the one the rules compare); null when qualitative or withdrawn without a value.</summary>
    public decimal? Value { get; init; }

    /// <summary>UCUM code of the canonical unit.</summary>
    public required string Unit { get; init; }

    /// <summary><c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> or null.</summary>
    public string? Comparator { get; init; }

    /// <summary>False for "not detected", true for "detected", null when not stated.</summary>
    public bool? Detected { get; init; }

    /// <summary>Collection time with the offset the lab sent.</summary>
    public required DateTimeOffset CollectedAt { get; init; }

    /// <summary>
    /// <c>instant</c>, <c>date</c> (the lab sent a date without a time: <see cref="CollectedOn"/> is that date as sent, and
    /// <see cref="CollectedAt"/>'s time of day means nothing) or <c>messageTime</c> (never on a result: a withdrawal with no
    /// collection time keeps the result's).
    /// </summary>
    [JsonConverter(typeof(CollectionTimeKindJsonConverter))]
    public CollectionTimeKind CollectedAtKind { get; init; }

    /// <summary>The collection date in the patient's time zone (the day day +N counts); a date-only result's date as sent.</summary>
    public required DateOnly CollectedOn { get; init; }

    /// <summary>
    /// Day +N in the patient's time zone, counted from day 0 of the follow-up the result belongs to: the infusion, or a later
    /// second infusion / allogeneic HSCT (<see cref="DayZeroEvent"/>), as the alerts count.
    /// </summary>
    public required int DayPostInfusion { get; init; }

    /// <summary>What <see cref="DayPostInfusion"/> counts from when it is not the infusion: <c>2nd infusion</c> or <c>allo-HSCT</c>.</summary>
    public string? DayZeroEvent { get; init; }

    /// <summary>Status of the current version: <c>final</c>, <c>preliminary</c>, <c>corrected</c> or <c>cancelled</c>.</summary>
    [JsonConverter(typeof(ResultStatusJsonConverter))]
    public required ResultStatus Status { get; init; }

    /// <summary>
    /// True when the lab cancelled the result (or declared it entered in error): it is NOT part of the record — the rules
    /// and charts ignore it — and is listed only so that what the lab sent can be traced.
    /// </summary>
    public required bool Withdrawn { get; init; }

    /// <summary>The lab's identity of the result (<c>acc:</c>, <c>ext:</c> or <c>at:</c>; see <see cref="ResultIdentity"/>).</summary>
    public string? Identity { get; init; }

    /// <summary>The lab that sent the current version, when it said.</summary>
    public string? Lab { get; init; }

    /// <summary>Specimen as received (e.g. <c>bone marrow</c>, <c>peripheral blood</c>): marrow MRD rules read marrow only.</summary>
    public string? Specimen { get; init; }

    /// <summary>Method as received (e.g. <c>flow cytometry</c>, <c>NGS</c>).</summary>
    public string? Method { get; init; }

    /// <summary>File (blob name) or message the current version came from.</summary>
    public required string SourceFile { get; init; }

    /// <summary>Line (CSV) or segment (HL7) of the current version in <see cref="SourceFile"/>.</summary>
    public required int SourceLine { get; init; }

    /// <summary>How many distinct versions the lab sent.</summary>
    public required int VersionCount { get; init; }

    /// <summary>Every version, lowest precedence first and the current one last; absent unless versions were asked for.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ResultVersionView>? Versions { get; init; }
}


namespace CarTLabPipeline.Ingestion;

/// <summary>The conventions of one lab with every default applied (see <see cref="IngestionOptions.ConventionsFor"/>).</summary>
public sealed record ResolvedLabConventions
{
    /// <summary>The name under which a setting is looked up first (folder, else facility, else <c>default</c>): used in reasons.</summary>
    public required string Lab { get; init; }

    public required TimeZoneInfo TimeZone { get; init; }

    public LabDateOrder DateOrder { get; init; }

    /// <summary><c>.</c> or <c>,</c>, or null when not configured.</summary>
    public char? DecimalSeparator { get; init; }

    /// <summary><c>%</c>, <c>fraction</c>, or null when not configured.</summary>
    public string? MrdUnit { get; init; }

    public IReadOnlyList<string> PatientIdSystems { get; init; } = [];

    public IReadOnlyDictionary<string, string> LocalCodes { get; init; } = new Dictionary<string, string>();

    /// <summary>The environment-variable name of a setting of this lab: <c>Ingestion__Labs__{lab}__DateOrder</c>.</summary>
    public string Setting(string name) => $"{IngestionOptions.SectionName}__Labs__{Lab}__{name}";

    /// <summary><see cref="Setting"/> of <c>DecimalSeparator</c>, made once (it is passed with every value parsed).</summary>
    public string DecimalSeparatorSetting => field ??= Setting("DecimalSeparator");
}

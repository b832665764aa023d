using System.Text.Json.Serialization;

namespace CarTLabPipeline.Alerts;

/// <summary>Alert severity (docs/design.md §5).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertSeverity>))]
public enum AlertSeverity
{
    [JsonStringEnumMemberName("info")]
    Info,
    [JsonStringEnumMemberName("warning")]
    Warning,
    [JsonStringEnumMemberName("critical")]
    Critical,
}

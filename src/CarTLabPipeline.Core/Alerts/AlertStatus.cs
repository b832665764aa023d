using System.Text.Json.Serialization;

namespace CarTLabPipeline.Alerts;

/// <summary>Alert lifecycle (docs/design.md §5).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertStatus>))]
public enum AlertStatus
{
    [JsonStringEnumMemberName("open")]
    Open,
    [JsonStringEnumMemberName("acknowledged")]
    Acknowledged,
    [JsonStringEnumMemberName("retracted")]
    Retracted,
}

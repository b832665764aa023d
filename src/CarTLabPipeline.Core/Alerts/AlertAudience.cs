using System.Text.Json.Serialization;

namespace CarTLabPipeline.Alerts;

/// <summary>Who an alert is for: the patient's care team, or ops (ingest problems, delivery failures).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertAudience>))]
public enum AlertAudience
{
    [JsonStringEnumMemberName("care-team")]
    CareTeam,
    [JsonStringEnumMemberName("ops")]
    Ops,
}

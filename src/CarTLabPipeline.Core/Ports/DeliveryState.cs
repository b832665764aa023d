using System.Text.Json.Serialization;

namespace CarTLabPipeline.Ports;

/// <summary>State of one delivery in an alert's outbox.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeliveryState>))]
public enum DeliveryState
{
    [JsonStringEnumMemberName("pending")]
    Pending,
    /// <summary>Claimed by a dispatcher that is sending it now (see <see cref="Delivery.ClaimedAt"/>).</summary>
    [JsonStringEnumMemberName("sending")]
    Sending,
    [JsonStringEnumMemberName("sent")]
    Sent,
    [JsonStringEnumMemberName("failed")]
    Failed,
    /// <summary>Never sent, and no longer to be: a later notice of the same alert to the same recipient replaced it.</summary>
    [JsonStringEnumMemberName("superseded")]
    Superseded,
}

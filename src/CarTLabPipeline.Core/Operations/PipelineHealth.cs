using System.Text.Json.Serialization;

namespace CarTLabPipeline.Operations;

/// <summary>
/// <c>GET /api/health</c>: whether storage answers (anonymous, for the availability test); with <c>?detail=true</c> for a
/// signed-in operator, the whole <see cref="PipelineStatus"/> too, and healthy only when nothing needs a person.
/// </summary>
public sealed record PipelineHealth
{
    /// <summary><c>healthy</c> or <c>unhealthy</c>.</summary>
    public required string Status { get; init; }

    /// <summary><c>ok</c>, or what storage answered (status and error code).</summary>
    public required string Storage { get; init; }

    /// <summary>The pipeline's status when asked for the detail and storage answers; else null (and left out of the JSON).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PipelineStatus? Pipeline { get; init; }

    [JsonIgnore]
    public bool Healthy => Status == "healthy";
}

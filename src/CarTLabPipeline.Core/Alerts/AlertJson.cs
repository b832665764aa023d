using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CarTLabPipeline.Alerts;

/// <summary>The one JSON shape of alerts and pipeline messages: camelCase, nulls written, enums as their contract words.</summary>
public static class PipelineJson
{
    /// <summary>Options for alerts, queue messages and reports.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Indented variant for files people read (rejection reports).</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
}

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

    /// <summary>A queue message of shape <typeparamref name="T"/>; anything else is permanent: retrying reads the same bytes.</summary>
    /// <param name="message">The message body.</param>
    /// <param name="shape">What the message must be, for the reason (e.g. <c>a patient-evaluations message must be {"patientId":"…"}</c>).</param>
    /// <param name="isValid">Whether the required members are there.</param>
    /// <exception cref="PermanentPipelineException">Not JSON, not of the shape, or a required member missing; the reason says which.</exception>
    public static T ReadMessage<T>(string message, string shape, Func<T, bool> isValid)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(isValid);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(message, Options);
        }
        catch (JsonException ex)
        {
            throw new PermanentPipelineException($"{shape}; it is not: {ex.Message}", ex);
        }

        return value is not null && isValid(value) ? value : throw new PermanentPipelineException(shape);
    }
}

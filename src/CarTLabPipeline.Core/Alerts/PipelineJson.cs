using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CarTLabPipeline.Alerts;

/// <summary>The one JSON shape of alerts and pipeline messages: camelCase, nulls written, enums as their contract words.</summary>
public static partial class PipelineJson
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

    /// <summary>
    /// What a <see cref="JsonException"/> of the serializer means, in the document's terms: <c>infusionDate must be a date
    /// (YYYY-MM-DD) (line 1, column 51)</c> rather than "The JSON value could not be converted to System.DateOnly. Path:
    /// $.infusionDate | LineNumber: 0 | BytePositionInLine: 50.".
    /// </summary>
    public static string Describe(JsonException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var where = failure.LineNumber is { } line ? $" (line {line + 1}, column {(failure.BytePositionInLine ?? 0) + 1})" : string.Empty;
        var member = string.IsNullOrEmpty(failure.Path) || failure.Path == "$" ? null : failure.Path.TrimStart('$', '.');
        var converted = ConvertedTo().Match(failure.Message);
        if (member is not null && converted.Success)
        {
            return $"{member} must be {TypeInWords(converted.Groups["type"].Value)}{where}";
        }

        var text = failure.Message;
        var cut = text.IndexOf(" Path: ", StringComparison.Ordinal);
        text = (cut >= 0 ? text[..cut] : text).Trim();
        return (member is null ? text : $"{member}: {text}") + where;
    }

    /// <summary>A .NET type name as a person reads it: <c>System.Nullable`1[System.Int32]</c> is "a whole number".</summary>
    public static string TypeInWords(string typeName) => typeName switch
    {
        "System.DateOnly" or "System.Nullable`1[System.DateOnly]" => "a date (YYYY-MM-DD)",
        "System.DateTimeOffset" or "System.Nullable`1[System.DateTimeOffset]" => "a date and time with its offset (2025-03-04T08:00:00+01:00)",
        "System.Int32" or "System.Nullable`1[System.Int32]" or "System.Int64" or "System.Nullable`1[System.Int64]" => "a whole number",
        "System.Decimal" or "System.Nullable`1[System.Decimal]" or "System.Double" or "System.Nullable`1[System.Double]" => "a number",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
        "System.TimeSpan" or "System.Nullable`1[System.TimeSpan]" => "a duration (hh:mm:ss)",
        "System.String" => "a string",
        _ when typeName.EndsWith("[]", StringComparison.Ordinal) || typeName.Contains("List`1", StringComparison.Ordinal) => "a list",
        _ => "a " + typeName[(typeName.LastIndexOf('.') + 1)..].TrimEnd(']'),
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"could not be converted to (?<type>[^.\s]+(\.[^.\s]+)*?)\.(\s|$)")]
    private static partial System.Text.RegularExpressions.Regex ConvertedTo();

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

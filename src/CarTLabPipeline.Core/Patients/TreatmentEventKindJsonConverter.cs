using System.Text.Json;
using System.Text.Json.Serialization;

namespace CarTLabPipeline.Patients;

/// <summary>Kinds as kebab-case strings; a number or an unknown name is an error naming the accepted kinds.</summary>
public sealed class TreatmentEventKindJsonConverter : JsonConverter<TreatmentEventKind>
{
    public override TreatmentEventKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return TreatmentEventKinds.TryParse(text, out var kind)
            ? kind
            : throw new JsonException($"events[].kind must be one of {string.Join(", ", TreatmentEventKinds.Names)}");
    }

    public override void Write(Utf8JsonWriter writer, TreatmentEventKind value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(TreatmentEventKinds.Name(value));
    }
}

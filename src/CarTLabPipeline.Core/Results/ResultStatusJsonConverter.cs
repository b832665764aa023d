using System.Text.Json;
using System.Text.Json.Serialization;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Results;

/// <summary>A result status as its contract word (<c>final</c>, <c>preliminary</c>, <c>corrected</c>, <c>cancelled</c>), whatever the serializer's options.</summary>
public sealed class ResultStatusJsonConverter() : JsonStringEnumConverter<ResultStatus>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

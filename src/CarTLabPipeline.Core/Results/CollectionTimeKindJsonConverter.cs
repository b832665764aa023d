using System.Text.Json;
using System.Text.Json.Serialization;
using CarTLabPipeline.Domain;

namespace CarTLabPipeline.Results;

/// <summary>A collection time kind as its contract word (<c>instant</c>, <c>date</c>, <c>messageTime</c>).</summary>
public sealed class CollectionTimeKindJsonConverter() : JsonStringEnumConverter<CollectionTimeKind>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

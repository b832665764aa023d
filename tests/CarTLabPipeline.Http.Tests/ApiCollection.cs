using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Http.Tests;

/// <summary>One Azurite and one pair of API servers for the assembly (tests isolate themselves with unique patient ids).</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Api";
}

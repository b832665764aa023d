namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>The tests that run <c>cartlab</c> share one <see cref="CartlabServicesFixture"/> (and so never run in parallel with each other).</summary>
[CollectionDefinition(Name)]
public sealed class CartlabCollection : ICollectionFixture<CartlabServicesFixture>
{
    public const string Name = "cartlab";
}

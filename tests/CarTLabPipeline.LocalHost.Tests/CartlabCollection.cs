namespace CarTLabPipeline.LocalHost.Tests;

/// <summary>The test classes that share the run's <see cref="CartlabFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class CartlabCollection : ICollectionFixture<CartlabFixture>
{
    public const string Name = "cartlab";
}

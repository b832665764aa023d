using System.Xml.Linq;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Core.Tests.Architecture;

/// <summary>The project graph read from the csproj files: Core references no project of ours, Adapters only Core, the hosts Adapters and Core.</summary>
public class ProjectGraphTests
{
    private static SortedSet<string> References(string project) =>
        new(XDocument.Load(Path.Combine(RepositoryPaths.Root, "src", project, project + ".csproj"))
            .Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? string.Empty).Replace('\\', '/'))), StringComparer.Ordinal);

    [Fact]
    public void Core_ReferencesNoProjectOfOurs()
    {
        Assert.Empty(References("CarTLabPipeline.Core"));
    }

    [Fact]
    public void Adapters_ReferencesCoreOnly()
    {
        Assert.Equal(["CarTLabPipeline.Core"], References("CarTLabPipeline.Adapters"));
    }

    [Theory]
    [InlineData("CarTLabPipeline.Functions")]
    [InlineData("CarTLabPipeline.LocalHost")]
    public void Host_ReferencesAdaptersAndCore_NotTheOtherHost(string host)
    {
        var references = References(host);

        Assert.Contains("CarTLabPipeline.Adapters", references);
        Assert.True(references.IsSubsetOf(["CarTLabPipeline.Adapters", "CarTLabPipeline.Core"]), $"{host} references {string.Join(", ", references)}");
    }

    [Fact]
    public void EverySourceProject_IsCovered()
    {
        var projects = Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src")).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(["CarTLabPipeline.Adapters", "CarTLabPipeline.Core", "CarTLabPipeline.Functions", "CarTLabPipeline.LocalHost"], projects);
    }
}

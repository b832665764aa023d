using System.Xml.Linq;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Core.Tests.Architecture;

/// <summary>
/// The project graph read from the csproj files: Core references no project of ours, Adapters only Core, Http (the one
/// implementation of the HTTP API) only Adapters, the hosts Http and Adapters and never each other.
/// </summary>
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

    [Fact]
    public void Http_ReferencesAdaptersOnly()
    {
        Assert.Equal(["CarTLabPipeline.Adapters"], References("CarTLabPipeline.Http"));
    }

    [Theory]
    [InlineData("CarTLabPipeline.Functions")]
    [InlineData("CarTLabPipeline.LocalHost")]
    public void Host_ReferencesHttpAndAdapters_NotTheOtherHost(string host)
    {
        var references = References(host);

        Assert.Contains("CarTLabPipeline.Adapters", references);
        Assert.Contains("CarTLabPipeline.Http", references);
        Assert.True(references.IsSubsetOf(["CarTLabPipeline.Adapters", "CarTLabPipeline.Core", "CarTLabPipeline.Http"]), $"{host} references {string.Join(", ", references)}");
    }

    [Fact]
    public void EverySourceProject_IsCovered()
    {
        var projects = Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src")).Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(["CarTLabPipeline.Adapters", "CarTLabPipeline.Core", "CarTLabPipeline.Functions", "CarTLabPipeline.Http", "CarTLabPipeline.LocalHost"], projects);
    }
}

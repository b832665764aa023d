using System.Reflection;
using System.Xml.Linq;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Core.Tests.Architecture;

public class CoreDependencyTests
{
    [Fact]
    public void CoreAssembly_ReferencesNoAzurePackage()
    {
        var references = typeof(PipelineNames).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, n => n.StartsWith("Azure.", StringComparison.Ordinal) || n.StartsWith("Microsoft.Azure.", StringComparison.Ordinal));
    }

    [Fact]
    public void CoreProject_DeclaresNoAzurePackageReference()
    {
        var project = XDocument.Load(Path.Combine(RepositoryPaths.Root, "src", "CarTLabPipeline.Core", "CarTLabPipeline.Core.csproj"));
        var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include") ?? string.Empty).ToList();

        Assert.NotEmpty(packages);
        Assert.DoesNotContain(packages, n => n.StartsWith("Azure.", StringComparison.Ordinal) || n.StartsWith("Microsoft.Azure.", StringComparison.Ordinal));
    }
}

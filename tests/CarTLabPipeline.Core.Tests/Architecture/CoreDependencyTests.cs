using System.Reflection;
using System.Xml.Linq;

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
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "CarTLabPipeline.Core", "CarTLabPipeline.Core.csproj"));
        var packages = project.Descendants("PackageReference").Select(p => (string?)p.Attribute("Include") ?? string.Empty).ToList();

        Assert.NotEmpty(packages);
        Assert.DoesNotContain(packages, n => n.StartsWith("Azure.", StringComparison.Ordinal) || n.StartsWith("Microsoft.Azure.", StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CarTLabPipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}

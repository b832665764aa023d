using System.Text.RegularExpressions;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Core.Tests.Architecture;

/// <summary>
/// A type is found where its name says: every source file in src declares the type it is named after, in the namespace
/// its folder says, and a type of its own gets a file of its own. Types grouped with their owner before this test existed
/// are listed in GroupedTypes.txt; the list may only shrink.
/// </summary>
public partial class SourceLayoutTests
{
    /// <summary>Files that declare no type of their name, and why.</summary>
    private static readonly Dictionary<string, string> s_unnamedFiles = new(StringComparer.Ordinal)
    {
        ["src/CarTLabPipeline.Functions/Program.cs"] = "top-level statements: the Functions host's entry point",
    };

    [GeneratedRegex(@"^(?:(?:public|internal|file|static|sealed|abstract|partial|readonly|unsafe)\s+)*(?:record\s+struct|record\s+class|class|record|struct|interface|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"^namespace\s+(?<ns>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex FileScopedNamespace();

    private static IEnumerable<(string Path, string Text)> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryPaths.Root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(Path.Combine(RepositoryPaths.Root, f))));

    private static List<string> Types(string text) => [.. TopLevelType().Matches(text).Select(m => m.Groups["name"].Value)];

    [Fact]
    public void EverySourceFile_DeclaresTheTypeItIsNamedAfter()
    {
        var wrong = SourceFiles()
            .Where(f => !s_unnamedFiles.ContainsKey(f.Path) && !Types(f.Text).Contains(Path.GetFileNameWithoutExtension(f.Path)))
            .Select(f => $"{f.Path} declares {string.Join(", ", Types(f.Text))}")
            .ToList();

        Assert.True(wrong.Count == 0, "rename the file or the type:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void EverySourceFile_IsInTheNamespaceItsFolderSays()
    {
        var wrong = new List<string>();
        foreach (var (path, text) in SourceFiles())
        {
            var parts = path.Split('/');
            var project = parts[1];
            var folders = parts[2..^1];
            var expected = string.Join('.', new[] { project == "CarTLabPipeline.Core" ? "CarTLabPipeline" : project }.Concat(folders));
            var declared = FileScopedNamespace().Match(text) is { Success: true } m ? m.Groups["ns"].Value : null;
            if (declared is not null && declared != expected)
            {
                wrong.Add($"{path}: namespace {declared}, folder says {expected}");
            }
        }

        Assert.True(wrong.Count == 0, "move the file or change its namespace:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void ATypeOfItsOwn_HasAFileOfItsOwn_ExceptTheGroupsListedBeforeThisTest()
    {
        var known = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tests", "CarTLabPipeline.Core.Tests", "Architecture", "GroupedTypes.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);
        var grouped = SourceFiles()
            .SelectMany(f => Types(f.Text).Where(t => t != Path.GetFileNameWithoutExtension(f.Path)).Distinct().Select(t => $"{f.Path}: {t}"))
            .ToHashSet(StringComparer.Ordinal);

        var added = grouped.Except(known).Order(StringComparer.Ordinal).ToList();
        var gone = known.Except(grouped).Order(StringComparer.Ordinal).ToList();

        Assert.True(added.Count == 0, "give these types a file named after them:\n" + string.Join("\n", added));
        Assert.True(gone.Count == 0, "these groups are gone: remove them from GroupedTypes.txt:\n" + string.Join("\n", gone));
    }
}

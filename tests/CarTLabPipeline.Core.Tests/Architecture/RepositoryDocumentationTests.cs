using System.Text.RegularExpressions;
using CarTLabPipeline.Testing;

namespace CarTLabPipeline.Core.Tests.Architecture;

/// <summary>
/// The repository is self-contained for its users: docs/design.md is the contract, and nothing in the repository points
/// at files a user of it does not have; every relative link in the docs leads to a file that exists.
/// </summary>
public partial class RepositoryDocumentationTests
{
    private static readonly string[] s_textExtensions = [".cs", ".md", ".sh", ".bicep", ".bicepparam", ".json", ".yaml", ".yml", ".csproj", ".props"];
    private static readonly string[] s_skippedFolders = ["bin", "obj", "node_modules", ".git", ".local", "BenchmarkDotNet.Artifacts", "TestResults"];

    [Fact]
    public void NothingInTheRepository_PointsOutsideIt()
    {
        var offenders = new List<string>();
        foreach (var file in RepositoryFiles())
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                if (OutsideReference().IsMatch(line))
                {
                    offenders.Add($"{Path.GetRelativePath(RepositoryPaths.Root, file)}:{lineNumber}: {line.Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "References to files outside the repository:\n" + string.Join('\n', offenders));
    }

    [Fact]
    public void DesignDocument_IsTheContract()
    {
        var design = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "design.md"));

        foreach (var section in new[] { "## 2. Data flow", "## 3. Names", "## 4. Inputs", "## 5. The alert", "## 5a. The alert email", "## 6. Rules", "## 6a. Analyte keywords", "## 7. Where each part runs", "## 8. The `cartlab` command line", "## 9. Repository commands" })
        {
            Assert.Contains(section, design, StringComparison.Ordinal);
        }

        // Every storage name the code agrees on is written in the contract.
        foreach (var name in PipelineNames.Containers.All.Concat(PipelineNames.Queues.All).Concat(PipelineNames.Tables.All))
        {
            Assert.Contains($"`{name}`", design, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RelativeLinksInTheDocs_LeadToFilesThatExist()
    {
        var docs = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(RepositoryPaths.Root, "README.md"));
        var broken = new List<string>();
        foreach (var doc in docs)
        {
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(doc)))
            {
                var target = link.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith('#') || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = target.Split('#')[0];
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(doc)!, path));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{Path.GetRelativePath(RepositoryPaths.Root, doc)}: {target}");
                }
                else if (!resolved.StartsWith(RepositoryPaths.Root, StringComparison.Ordinal))
                {
                    broken.Add($"{Path.GetRelativePath(RepositoryPaths.Root, doc)}: {target} (outside the repository)");
                }
            }
        }

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    private static IEnumerable<string> RepositoryFiles()
    {
        var pending = new Stack<string>([RepositoryPaths.Root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                if (!s_skippedFolders.Contains(Path.GetFileName(sub)))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(dir))
            {
                if (s_textExtensions.Contains(Path.GetExtension(file)) && !file.EndsWith(nameof(RepositoryDocumentationTests) + ".cs", StringComparison.Ordinal))
                {
                    yield return file;
                }
            }
        }
    }

    /// <summary>The shared folder of the project's founders, its design file's section marks, or its other files by name.</summary>
    [GeneratedRegex(@"\.\./shared|shared/(DESIGN|clinical|STYLE|AZURE|PLATFORM|reference-case|conformance)|DESIGN(\.md)? ?§|DESIGN\.md|PLATFORM\.md|AZURE\.md|STYLE\.md|reference-case\.md", RegexOptions.CultureInvariant)]
    private static partial Regex OutsideReference();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex MarkdownLink();
}

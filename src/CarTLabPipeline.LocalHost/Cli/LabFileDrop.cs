using CarTLabPipeline.Ingestion;

namespace CarTLabPipeline.LocalHost.Cli;

/// <summary>Uploads local lab files (or every file of a folder) into the drop zone as <c>{lab}/{relative path}</c> and ingests each at once.</summary>
internal sealed class LabFileDrop(ILabFileStore files, LabFileIngestionService ingestion, IngestionReportPrinter printer)
{
    /// <exception cref="FileNotFoundException">A path is neither a file nor a folder.</exception>
    public async Task<List<IngestionReport>> IngestAsync(IReadOnlyList<string> paths, string lab, CancellationToken cancellationToken, TextWriter? report = null)
    {
        var reports = new List<IngestionReport>();
        foreach (var (path, relative) in Expand(paths))
        {
            ILabFileSource source;
            await using (var content = File.OpenRead(path))
            {
                source = await files.UploadAsync($"{lab}/{relative}", content, cancellationToken).ConfigureAwait(false);
            }

            // Ingest directly: drop and process must not wait for (or depend on) the polling blob scan.
            var result = await ingestion.IngestAsync(source, cancellationToken).ConfigureAwait(false);
            reports.Add(result);
            printer.Print(result, report);
        }

        return reports;
    }

    /// <summary>Fails on the first path that is neither a file nor a folder, before anything starts.</summary>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    public static void Check(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p)) is { } missing)
        {
            throw new FileNotFoundException(NoSuchPath(missing), missing);
        }
    }

    /// <summary>Each file with its name relative to the folder given (hidden files and <c>.md</c> notes left out); a file as its own name.</summary>
    public static IEnumerable<(string Path, string Relative)> Expand(IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var root = Path.GetFullPath(path);
                foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal))
                {
                    yield return (file, Path.GetRelativePath(root, file).Replace('\\', '/'));
                }
            }
            else if (File.Exists(path))
            {
                yield return (path, Path.GetFileName(path));
            }
            else
            {
                throw new FileNotFoundException(NoSuchPath(path), path);
            }
        }
    }

    /// <summary>What is missing and what to give instead (a 2 a.m. reader should not have to guess).</summary>
    private static string NoSuchPath(string path) =>
        $"no such file or directory: {path}; give a lab file (HL7 v2, FHIR JSON or CSV) or a folder of them";
}

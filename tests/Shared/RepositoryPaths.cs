namespace CarTLabPipeline.Testing;

/// <summary>Where the repository is, seen from a test's bin folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CarTLabPipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"CarTLabPipeline.sln not found above {AppContext.BaseDirectory}");
    }
}

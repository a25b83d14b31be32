namespace SfpPlatform.Tests.Infrastructure;

/// <summary>Paths in this clone, found from the test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding SfpPlatform.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built in (Debug or Release).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>The built entry assembly of a project of this solution, in the tests' configuration.</summary>
    public static string ProjectAssembly(string project) =>
        Path.Combine(Root, project, "bin", Configuration, "net10.0", project + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SfpPlatform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No SfpPlatform.sln above {AppContext.BaseDirectory}.");
    }
}

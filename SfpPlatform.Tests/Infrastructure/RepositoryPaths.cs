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

    /// <summary>
    /// The shared folder's test data (real GitHub and Azure DevOps payloads), laid beside the clone as
    /// <c>../shared/testdata</c> (or named by <c>SFP_SHARED_TESTDATA</c>).
    /// </summary>
    public static string SharedTestData
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("SFP_SHARED_TESTDATA") is { Length: > 0 } configured
                ? configured
                : Path.GetFullPath(Path.Combine(Root, "..", "shared", "testdata"));
            return Directory.Exists(path)
                ? path
                : throw new DirectoryNotFoundException($"Shared test data not found at {path}; set SFP_SHARED_TESTDATA.");
        }
    }

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

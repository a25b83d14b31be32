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
    /// Real GitHub and Azure DevOps payload samples (byte-for-byte copies of the shared test data, with their
    /// licences and sources in the folder's READMEs); <c>SFP_TESTDATA</c> points elsewhere.
    /// </summary>
    public static string TestData =>
        Environment.GetEnvironmentVariable("SFP_TESTDATA") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Root, "SfpPlatform.Tests", "TestData");

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

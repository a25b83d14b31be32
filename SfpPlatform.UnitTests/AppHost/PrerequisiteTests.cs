using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.AppHost;

/// <summary>A missing prerequisite stops the AppHost with one line that says what to do.</summary>
public sealed class PrerequisiteTests
{
    [Theory]
    [InlineData("Platform:Postgres:BinDirectory=/nonexistent/bin", "Platform:Postgres:BinDirectory '/nonexistent/bin' has no postgres and initdb binaries.")]
    [InlineData("Platform:Runtime=kubernetes", "Platform:Runtime must be 'auto', 'containers' or 'processes', not 'kubernetes'.")]
    public async Task AppHost_WithAMissingPrerequisite_ExitsWithOneLine(string setting, string expected)
    {
        // Run the AppHost from its own output folder (with its own deps.json), built in the same configuration.
        var appHost = RepositoryPaths.ProjectAssembly("SfpPlatform.AppHost");
        var result = await TestProcess.RunAsync("dotnet", [appHost, "Platform:Runtime=processes", setting],
            new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Development" }, TestContext.Current.CancellationToken);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected, result.Error.TrimEnd('\n'));
    }
}

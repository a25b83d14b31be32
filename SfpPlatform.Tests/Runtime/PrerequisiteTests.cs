using System.Diagnostics;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Runtime;

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
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList = { appHost, "Platform:Runtime=processes", setting },
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, process.ExitCode);
        Assert.Equal(expected, stderr.TrimEnd('\n'));
    }
}

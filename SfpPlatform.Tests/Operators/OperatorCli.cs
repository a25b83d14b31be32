using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Operators;

/// <summary>The built <c>sfp-platform</c> CLI, run as a process as an operator runs it.</summary>
public static class OperatorCli
{
    public static string Assembly => Path.Combine(RepositoryPaths.Root, "tools", "SfpPlatform.Cli", "bin", RepositoryPaths.Configuration, "net10.0", "sfp-platform.dll");

    public static Task<TestProcess.Result> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        // Nothing of the test process's own environment decides a command's answer.
        var isolated = new Dictionary<string, string?>
        {
            ["SFP_API_URL"] = null,
            ["SFP_TOKEN"] = null,
            ["ConnectionStrings__sfp"] = null,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            isolated[key] = value;
        }

        return TestProcess.RunAsync("dotnet", [Assembly, .. arguments], isolated, TestContext.Current.CancellationToken);
    }

    /// <summary>A failure's answer: exit code 1 (or 2 for a wrong command line) and exactly one line on stderr.</summary>
    public static string AssertFailsWithOneLine(TestProcess.Result result, int exitCode = 1)
    {
        Assert.True(result.ExitCode == exitCode, $"exit {result.ExitCode}: {result.Error}{result.Output}");
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("sfp-platform: ", line, StringComparison.Ordinal);
        return line;
    }
}

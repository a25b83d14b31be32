using SfpPlatform.Tests.Deployment;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.Tests.Operators;

/// <summary>
/// <c>sfp-platform</c> run as a process, for the commands that need nothing running: help, configuration checks, the
/// deploy/ check, and how each command fails (exit code, one line naming the reason).
/// </summary>
public sealed class OperatorCliTests
{
    public static readonly TheoryData<string> Commands =
    [
        "config check", "deploy render", "credentials rotate-key", "deliveries replay", "deliveries recover", "runs logs", "runs cancel", "purge",
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task EveryCommand_HasHelp(string command)
    {
        var result = await OperatorCli.RunAsync(null, [.. command.Split(' '), "--help"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains(command.Split(' ')[^1], result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_FailsWithOneLine_AndExitCode2()
    {
        var line = OperatorCli.AssertFailsWithOneLine(await OperatorCli.RunAsync(null, "deploy", "renders"), exitCode: 2);

        Assert.Contains("renders", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_PassesAnOperatorsCompleteEnvFile()
    {
        using var folder = new TestFolder();
        var file = Path.Combine(folder.Path, ".env");
        await File.WriteAllTextAsync(file, OperatorEnvironment.Text(OperatorEnvironment.Values()), TestContext.Current.CancellationToken);

        var result = await OperatorCli.RunAsync(null, "config", "check", "--env-file", file);

        Assert.True(result.ExitCode == 0, result.Error + result.Output);
        Assert.Contains("configured correctly", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JWT_SECRET", "JWT_SECRET")]
    [InlineData("CREDENTIALS_ENCRYPTION_KEY", "CREDENTIALS_ENCRYPTION_KEY")]
    [InlineData("HATCHET_CLIENT_TOKEN", "Hatchet:Token")]
    public async Task ConfigCheck_NamesAMissingKey(string variable, string named)
    {
        var values = OperatorEnvironment.Values();
        Assert.True(values.ContainsKey(variable), $"no operator variable {variable}");
        values[variable] = "";
        using var folder = new TestFolder();
        var file = Path.Combine(folder.Path, ".env");
        await File.WriteAllTextAsync(file, OperatorEnvironment.Text(values), TestContext.Current.CancellationToken);

        var result = await OperatorCli.RunAsync(null, "config", "check", "--env-file", file);

        var line = OperatorCli.AssertFailsWithOneLine(result);
        Assert.Contains("problem(s) in .env", line, StringComparison.Ordinal);
        Assert.Contains(named, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_OfAServicesOwnEnvironment_NamesEachProblem()
    {
        using var folder = new TestFolder();
        var file = Path.Combine(folder.Path, "workers.env");
        await File.WriteAllTextAsync(file, """
            ConnectionStrings__sfp=Host=db;Database=sfp;Username=sfp;Password=x
            Credentials__ActiveKeyId=k1
            Credentials__Keys__k1=0123456789abcdef0123456789abcdef
            Workflows__Loops=0
            PackageRegistry__Reader__Username=reader
            ReviewEnvironments__LeaseDuration=-01:00:00
            """, TestContext.Current.CancellationToken);

        var result = await OperatorCli.RunAsync(null, "config", "check", "--env-file", file, "--service", "workers");

        OperatorCli.AssertFailsWithOneLine(result);
        Assert.Contains("Workflows:Loops is 0", result.Output, StringComparison.Ordinal);
        Assert.Contains("PackageRegistry:Reader:Password is not set", result.Output, StringComparison.Ordinal);
        Assert.Contains("ReviewEnvironments:LeaseDuration", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_OfAMissingFile_FailsWithOneLine()
    {
        var line = OperatorCli.AssertFailsWithOneLine(await OperatorCli.RunAsync(null, "config", "check", "--env-file", "/nonexistent/.env"));

        Assert.Contains("does not exist", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployRenderCheck_PassesTheCommittedFolder_AndFailsAStaleCopy_NamingTheFile()
    {
        var current = await OperatorCli.RunAsync(null, "deploy", "render", "--check", "--output", ComposeFile.DeployDirectory);
        Assert.True(current.ExitCode == 0, current.Error + current.Output);

        using var folder = new TestFolder();
        var rendered = await OperatorCli.RunAsync(null, "deploy", "render", "--output", folder.Path);
        Assert.True(rendered.ExitCode == 0, rendered.Error);
        await File.AppendAllTextAsync(Path.Combine(folder.Path, "compose.yaml"), "# edited by hand\n", TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(folder.Path, "maintenance.html"));

        var stale = await OperatorCli.RunAsync(null, "deploy", "render", "--check", "--output", folder.Path);

        var line = OperatorCli.AssertFailsWithOneLine(stale);
        Assert.Contains("is stale: 2 file(s)", line, StringComparison.Ordinal);
        Assert.Contains("stale: compose.yaml", stale.Output, StringComparison.Ordinal);
        Assert.Contains("missing: maintenance.html", stale.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runs cancel 0190a0b0-0000-7000-8000-000000000001", "no platform URL")]
    [InlineData("runs logs 0190a0b0-0000-7000-8000-000000000001 --api-url http://127.0.0.1:9", "no token")]
    [InlineData("deliveries replay --since yesterday --api-url http://127.0.0.1:9 --token t", "--since 'yesterday'")]
    [InlineData("credentials rotate-key --dry-run", "no database")]
    [InlineData("purge", "no database")]
    public async Task CommandWithoutWhatItNeeds_FailsWithOneLineNamingIt(string command, string reason)
    {
        var line = OperatorCli.AssertFailsWithOneLine(await OperatorCli.RunAsync(null, command.Split(' ')));

        Assert.Contains(reason, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiCommand_AgainstNothingListening_FailsWithOneLine()
    {
        var line = OperatorCli.AssertFailsWithOneLine(await OperatorCli.RunAsync(null,
            "runs", "cancel", Guid.NewGuid().ToString(), "--api-url", "http://127.0.0.1:9", "--token", "t"));

        Assert.Contains("HttpRequestException", line, StringComparison.Ordinal);
    }

    [Fact]
    public void OperatorVariables_NameTheCollectorEndpoint_AsOptional()
    {
        Assert.False(OperatorVariables.OtlpEndpoint.Required);
        Assert.Contains(OperatorVariables.OtlpEndpoint, SfpPlatform.Core.Deployment.PlatformServices.Deployment.ComposeVariables());
    }
}

using Microsoft.Extensions.Options;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Workers.Workflows;
using SfpPlatform.Workers.Workflows.Sfp;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// Every sfp command line the platform builds, checked against the flag definitions of the pinned sfp 39.2.2 (its
/// own <c>sfp commands --json</c>): the command exists, no flag is unknown, none required is missing, option values
/// are ones sfp has. The check itself refuses what sfp refuses. These need the installed sfp (tools/sfp); the
/// command line's own behaviour is tested in SfpPlatform.UnitTests.
/// </summary>
public sealed class SfpCommandLineTests
{
    private static readonly PullRequestRefs Refs = new("6dcb09b5b57875f334f61aebed695e2e4193db5e", "f95f852bd8fca8fcc58a9a2d6c842781e32a215e");

    public static TheoryData<string, string[]> CommandLines()
    {
        var defaults = new ValidateOptions();
        var configured = new ValidateOptions { Mode = "individual", Pools = ["ci", "dev"], Arguments = ["--coveragepercent", "80", "--installdeps"] };
        var build = new BuildOptions();
        var buildConfigured = new BuildOptions { Arguments = ["--diffcheck"], PublishArguments = ["--npmtag", "next"] };
        return new()
        {
            { "org login url", [.. SfpCommands.OrgLoginUrl("/work/auth/devhub.url", SfpCommands.DevHubAlias).Arguments] },
            { "validate pool", [.. SfpCommands.ValidatePool(defaults, Refs).Arguments] },
            { "validate pool, no base", [.. SfpCommands.ValidatePool(defaults, null).Arguments] },
            { "validate pool, configured", [.. SfpCommands.ValidatePool(configured, Refs).Arguments] },
            { "validate org", [.. SfpCommands.ValidateOrg(defaults, "review-1", Refs).Arguments] },
            { "validate org, configured", [.. SfpCommands.ValidateOrg(configured, "review-1", null).Arguments] },
            { "build, all packages", [.. SfpCommands.Build(build, "main", 7, []).Arguments] },
            { "build, changed packages", [.. SfpCommands.Build(buildConfigured, "release/2.0", 8, ["core", "sales-ui"]).Arguments] },
            { "publish", [.. SfpCommands.Publish(build, "acme", "/work/auth/publisher.npmrc").Arguments] },
            { "publish, configured", [.. SfpCommands.Publish(buildConfigured, "acme", "/work/auth/publisher.npmrc").Arguments] },
            { "release", [.. SfpCommands.Release(["releases/r1.yml", "releases/r2.yml"], "uat", "acme", "/work/auth/reader.npmrc", withDevHub: true).Arguments] },
            { "release, no dev hub", [.. SfpCommands.Release(["releases/r1.yml"], "uat", "acme", "/work/auth/reader.npmrc", withDevHub: false).Arguments] },
            { "releasedefinition generate", [.. SfpCommands.ReleaseDefinitionGenerate("main", "config/release.yml", "r1", "releases").Arguments] },
        };
    }

    [Theory]
    [MemberData(nameof(CommandLines))]
    public async Task PlatformCommandLine_PassesSfpsFlagParsing(string name, string[] arguments)
    {
        var manifest = await SfpCliManifest.GetAsync();

        Assert.True(manifest.Problems(arguments) is { Count: 0 }, $"{name}: sfp {string.Join(' ', arguments)}\n{string.Join('\n', manifest.Problems(arguments))}");
    }

    [Theory]
    [InlineData("validate pool", "Missing required flag pools", "Missing required flag targetdevhubusername", "Missing required flag mode")]
    [InlineData("validate pool -p ci -v devhub --mode thorough --bogus", "Nonexistent flag: --bogus")]
    [InlineData("validate pool -p ci -v devhub --mode everything", "Expected --mode=everything to be one of")]
    [InlineData("validate pool -p ci -v devhub --mode thorough --ref abc", "must be provided when using --ref: --baseRef")]
    [InlineData("validate org -v devhub --mode thorough", "Missing required flag targetorg")]
    [InlineData("build --branch main", "Missing required flag devhubalias")]
    [InlineData("publish -d artifacts --npm --scope acme --npmrcpath x --scriptpath y", "--scriptpath cannot also be provided when using --npm")]
    [InlineData("deploy everything", "sfp has no command")]
    public async Task TheCheck_RefusesWhatSfpRefuses(string commandLine, params string[] expected)
    {
        var manifest = await SfpCliManifest.GetAsync();

        var problems = string.Join('\n', manifest.Problems(commandLine.Split(' ')));

        Assert.All(expected, e => Assert.Contains(e, problems, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidationModes_AreSfpsModes()
    {
        var manifest = await SfpCliManifest.GetAsync();

        foreach (var command in new[] { "validate:pool", "validate:org" })
        {
            var modes = manifest.Flags(command)["mode"]["options"]!.AsArray().Select(o => o!.GetValue<string>());
            Assert.Equal(modes.Order(), SfpCommands.ValidationModes.Order());
        }

        var refused = Assert.Throws<OptionsValidationException>(() => ValidateWorkflow.Create(new ValidateOptions { Mode = "quick" }));
        Assert.Contains("'quick' is not a mode of sfp validate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InstallLinkedOntoPath_IsFound_ThroughItsLinks()
    {
        // As the workers image has it: /usr/local/bin/sfp → node_modules/.bin/sfp → node_modules/@flxbl-io/sfp/bin/run.
        using var bin = new TestFolder();
        File.CreateSymbolicLink(Path.Combine(bin.Path, "sfp"), SfpCliManifest.Executable);

        var (executable, nodeModules) = SfpCli.Locate(null, string.Join(Path.PathSeparator, "/nonexistent", bin.Path));

        Assert.Equal(Path.Combine(bin.Path, "sfp"), executable);
        Assert.Equal(Path.GetDirectoryName(SfpCliManifest.BinDirectory), nodeModules);
        Assert.Throws<NonRetryableStepException>(() => SfpCli.Locate(null, "/nonexistent"));
    }

    [Fact]
    public void Install_IsFound_WithTheNodeModulesItCameFrom()
    {
        var cli = new SfpCli(Options.Create(new SfpCliOptions { BinDirectory = SfpCliManifest.BinDirectory }));

        Assert.Equal(SfpCliManifest.Executable, cli.Executable);
        Assert.True(File.Exists(Path.Combine(cli.NodeModules, "@salesforce", "core", "package.json")), cli.NodeModules);
    }
}

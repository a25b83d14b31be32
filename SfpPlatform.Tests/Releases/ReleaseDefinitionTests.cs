using System.Diagnostics;
using System.Text.Json.Nodes;
using SfpPlatform.Core.Environments;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Releases;

/// <summary>
/// The release definitions the platform writes, read by the pinned sfp's own <c>ReleaseDefinitionLoader</c> (what
/// <c>sfp release -p</c> runs: js-yaml, then its JSON schema): names and versions come back as written, and a
/// definition the schema refuses is refused.
/// </summary>
public sealed class ReleaseDefinitionTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WrittenDefinition_IsReadBySfpsLoader_WithItsNamesAndVersions()
    {
        var yaml = ReleaseDefinition.Write("main-7: \"hotfix\"", [new("sales-ui", "@acme/sales-ui_sfpowerscripts_artifact", "0.4.0-2"), new("Core", "@acme/core_sfpowerscripts_artifact", "1.0")]);

        var (exitCode, output) = await LoadAsync(yaml);

        Assert.True(exitCode == 0, output);
        var definition = JsonNode.Parse(output)!;
        Assert.Equal("main-7: \"hotfix\"", definition["release"]!.GetValue<string>());
        Assert.True(definition["skipIfAlreadyInstalled"]!.GetValue<bool>());
        Assert.Equal("1.0", definition["artifacts"]!["Core"]!.GetValue<string>());   // a string, as the schema requires
        Assert.Equal("0.4.0-2", definition["artifacts"]!["sales-ui"]!.GetValue<string>());
    }

    [Fact]
    public async Task DefinitionWithoutArtifacts_IsRefusedBySfpsLoader()
    {
        var (exitCode, output) = await LoadAsync("release: \"r1\"\nskipIfAlreadyInstalled: true\n");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Release definition does not meet schema requirements", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> LoadAsync(string yaml)
    {
        using var folder = new TestFolder();
        var file = Path.Combine(folder.Path, "releasedefinition.yml");
        await File.WriteAllTextAsync(file, yaml, Cancellation);
        var loader = Path.Combine(RepositoryPaths.Root, "tools", "sfp", "node_modules", "@flxbl-io", "sfp", "lib", "impl", "release", "ReleaseDefinitionLoader.js");
        var start = new ProcessStartInfo("node", ["-e",
            "require(process.argv[1]).default.loadReleaseDefinition(process.argv[2]).then(d => console.log(JSON.stringify(d)), e => { console.error(e.message); process.exit(2); })",
            loader, file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync(Cancellation);
        var stderr = node.StandardError.ReadToEndAsync(Cancellation);
        await node.WaitForExitAsync(Cancellation);
        return (node.ExitCode, (await stdout) + (await stderr));
    }
}

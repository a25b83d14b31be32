using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// The real sfp CLI and the stand-in the workflows use where sfp needs a real org, outside the Workers: the pinned
/// sfp logs an org in with <c>sfp org login url</c> against the HTTPS Salesforce stand-in (trusted through
/// <c>NODE_EXTRA_CA_CERTS</c>) into an auth store of its own; the stand-in then accepts what sfp accepts and refuses
/// what sfp refuses — missing required flags, unknown flags, values sfp does not have, an alias the store lacks.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SfpOrgStandInTests(PlatformAppFixture platform)
{
    [Fact]
    public async Task RealLogin_ThenTheStandIn_ParsesAndResolvesOrgsAsSfpDoes()
    {
        using var workspace = new TestFolder();
        var home = Directory.CreateDirectory(Path.Combine(workspace.Path, "home")).FullName;
        var source = Directory.CreateDirectory(Path.Combine(workspace.Path, "source")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "sfdx-project.json"), """{"packageDirectories":[{"path":"force-app","default":true}]}""", Cancellation);
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["SF_USE_GENERIC_UNIX_KEYCHAIN"] = "true",
            ["SF_DISABLE_TELEMETRY"] = "true",
            ["SFPOWERSCRIPTS_NOCOLOR"] = "true",
            ["NODE_EXTRA_CA_CERTS"] = platform.Certificates.AuthorityFile,
        };

        // The real CLI: the auth URL from a file, an alias for the org.
        var authUrl = Path.Combine(workspace.Path, "devhub.url");
        await File.WriteAllTextAsync(authUrl, platform.Saas.AuthUrl(platform.Saas.Username), Cancellation);
        var login = await RunAsync(SfpCliManifest.Executable, ["org", "login", "url", "-f", authUrl, "-a", "devhub"], source, environment);
        Assert.True(login.ExitCode == 0, login.Output + login.Error);
        Assert.Contains($"Successfully authorized {platform.Saas.Username} with org ID {SaasStandIns.OrgId}", login.Output, StringComparison.Ordinal);
        Assert.Contains("\"devhub\":\"ci@example.com\"", (await File.ReadAllTextAsync(Path.Combine(home, ".sfdx", "alias.json"), Cancellation)).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);

        // A refresh token the org does not know: refused by Salesforce, so by sfp.
        await File.WriteAllTextAsync(authUrl, TestSecrets.Remember("force://PlatformCLI::5Aep_unknown0token@localhost"), Cancellation);
        var refused = await RunAsync(SfpCliManifest.Executable, ["org", "login", "url", "-f", authUrl, "-a", "other"], source, environment);
        Assert.NotEqual(0, refused.ExitCode);

        // The stand-in: accepted as sfp accepts it, the dev hub resolved from the store.
        var accepted = await StandInAsync(["validate", "pool", "-p", "ci", "-v", "devhub", "--mode", "thorough"]);
        Assert.True(accepted.ExitCode == 0, accepted.Output + accepted.Error);
        Assert.Contains("targetdevhubusername devhub = ci@example.com", accepted.Output, StringComparison.Ordinal);

        // Refused as sfp refuses.
        await AssertRefusedAsync(["validate", "pool"], "Missing required flag pools");
        await AssertRefusedAsync(["validate", "pool", "-p", "ci", "-v", "devhub", "--mode", "thorough", "--bogus"], "Nonexistent flag: --bogus");
        await AssertRefusedAsync(["validate", "pool", "-p", "ci", "-v", "devhub", "--mode", "everything"], "Expected --mode=everything to be one of");
        await AssertRefusedAsync(["validate", "pool", "-p", "ci", "-v", "other", "--mode", "thorough"], "No authorization information found for other");
        await AssertRefusedAsync(["validate", "org", "-o", "review-9", "-v", "devhub", "--mode", "thorough"], "No authorization information found for review-9");
        await AssertRefusedAsync(["release", "-p", "release.yml", "-o", "uat", "--npm", "--scriptpath", "x.sh"], "--scriptpath");

        async Task AssertRefusedAsync(string[] arguments, string expected)
        {
            var result = await StandInAsync(arguments);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(expected, result.Output + result.Error, StringComparison.Ordinal);
        }

        Task<TestProcess.Result> StandInAsync(string[] arguments) => RunAsync(PlatformAppFixture.SfpOrgStandIn, arguments, source, environment);
    }

    private static async Task<TestProcess.Result> RunAsync(string program, string[] arguments, string directory, Dictionary<string, string?> environment)
    {
        // sh only to change directory: the CLI reads sfdx-project.json from where it runs.
        var result = await TestProcess.RunAsync("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", directory, program, .. arguments], environment, Cancellation)
            .WaitAsync(TimeSpan.FromMinutes(2), Cancellation);
        return result;
    }
}

using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// A signed push through the edge → the build workflow on the Workers → the real sfp CLI: the dev hub logged in with
/// <c>sfp org login url</c> against the HTTPS Salesforce stand-in, <c>sfp build</c> of each changed source package
/// (numbered by the platform) and <c>sfp publish --npm</c> into the stack's Verdaccio as
/// <c>@{project}/{package}_sfpowerscripts_artifact@{version}-{build}</c> → a later validation installs an artifact
/// from Verdaccio by name and version, through the workspace's npm configuration alone.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BuildWorkflowTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    private const string Project = """
        {
          "packageDirectories": [
            { "path": "src/core", "package": "Core", "versionNumber": "1.2.0.NEXT", "default": true },
            { "path": "src/ui", "package": "sales-ui", "versionNumber": "0.4.0.NEXT" }
          ],
          "sourceApiVersion": "62.0"
        }
        """;

    [Fact]
    public async Task Push_PublishesChangedPackages_AndALaterValidationInstallsThem()
    {
        var project = "bld-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/force-app";
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        var files = new Dictionary<string, string>
        {
            ["sfdx-project.json"] = Project,
            [".forceignore"] = "**/jsconfig.json\n**/.eslintrc.json\n",
            ["config/project-scratch-def.json"] = """{ "orgName": "acme", "edition": "Developer" }""",
            ["src/core/classes/Account.cls"] = "public class Account {}",
            ["src/core/classes/Account.cls-meta.xml"] = """<?xml version="1.0" encoding="UTF-8"?><ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>""",
            ["src/ui/lwc/list/list.js"] = "export default class List {}",
        };
        platform.GitHub.Sources[repository] = files;
        await _webhooks.RegisterGitHubAppAsync(project);
        await _webhooks.RegisterSalesforceAuthUrlAsync(project);
        var hook = await _webhooks.RegisterGitHubAsync(project);
        var core = $"@{project}/core_sfpowerscripts_artifact";
        var ui = $"@{project}/sales-ui_sfpowerscripts_artifact";

        // First build: GitHub cannot list a new branch's changes, so every package is built and published.
        var first = await PushAsync(hook, repository, "1111111111111111111111111111111111111111", created: true, modified: []);
        await _webhooks.AssertSucceedsAsync(first, TimeSpan.FromMinutes(4));
        var registry = await platform.PackageRegistryAsync();
        Assert.Equal(["1.2.0-1"], await registry.VersionsAsync(core, Cancellation));
        Assert.Equal(["0.4.0-1"], await registry.VersionsAsync(ui, Cancellation));
        var log = await _webhooks.RunLogAsync(first);
        Assert.Contains(log, l => l.StartsWith("$ sfp org login url -f ", StringComparison.Ordinal) && l.EndsWith("/devhub.url -a devhub", StringComparison.Ordinal));
        Assert.Contains("$ sfp build -v devhub --branch master --buildnumber 1 --artifactdir artifacts -p Core -p sales-ui", log);
        Assert.Contains(log, l => l.StartsWith($"$ sfp publish -d artifacts --npm --scope {project} --npmrcpath /", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("Source Version", StringComparison.Ordinal) && l.Contains("1111111111111111111111111111111111111111", StringComparison.Ordinal));

        // Second build: only the UI changed.
        files["src/ui/lwc/list/list.js"] = "export default class List { changed = true; }";
        var second = await PushAsync(hook, repository, "2222222222222222222222222222222222222222", created: false, modified: ["src/ui/lwc/list/list.js"]);
        await _webhooks.AssertSucceedsAsync(second, TimeSpan.FromMinutes(4));
        Assert.Equal(["1.2.0-1"], await registry.VersionsAsync(core, Cancellation));
        Assert.Equal(["0.4.0-1", "0.4.0-2"], await registry.VersionsAsync(ui, Cancellation));
        Assert.Equal(2, await _webhooks.ScalarAsync<long>("SELECT number FROM builds WHERE run_id = $1", second));
        var recorded = JsonNode.Parse(await _webhooks.ScalarAsync<string>("SELECT artifacts::text FROM builds WHERE run_id = $1", second))!.AsArray();
        Assert.Equal(["unchanged", "published"], recorded.Select(a => a!["outcome"]!.GetValue<string>()));

        // The pushed commits got the build's statuses.
        var statuses = platform.GitHub.Calls.Where(c => c.Method == "POST" && c.Path == $"{repository}/statuses/2222222222222222222222222222222222222222")
            .Select(c => JsonNode.Parse(c.Body)!).ToList();
        Assert.Equal(["pending", "success"], statuses.Select(s => s["state"]!.GetValue<string>()));
        Assert.All(statuses, s => Assert.Equal("sfp/build", s["context"]!.GetValue<string>()));
        Assert.Contains($"published {ui}@0.4.0-2", statuses[1]["description"]!.GetValue<string>(), StringComparison.Ordinal);

        // The artifact is sfp's: its metadata names the package, version and commit; it holds the package's files at that commit.
        var tarball = Untar(await registry.DownloadAsync(ui, "0.4.0-2", Cancellation));
        Assert.Contains("changed = true", tarball["package/source/src/ui/lwc/list/list.js"], StringComparison.Ordinal);
        var metadata = JsonNode.Parse(tarball["package/artifact_metadata.json"])!;
        Assert.Equal("sales-ui", metadata["package_name"]!.GetValue<string>());
        Assert.Equal("0.4.0.2", metadata["package_version_number"]!.GetValue<string>());
        Assert.Equal("2222222222222222222222222222222222222222", metadata["sourceVersion"]!.GetValue<string>());
        Assert.Equal("source", metadata["package_type"]!.GetValue<string>());

        // A later workflow (validation of a pull request) installs an artifact by name and version from Verdaccio.
        files["INSTALL"] = $"{ui}@0.4.0-2 {core}@1.2.0-1";
        var (delivered, payload) = await _webhooks.OpenPullRequestAsync(hook, repository);
        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(Guid.Parse(delivered.Text("runId")!), TimeSpan.FromMinutes(2)));
        var comment = JsonNode.Parse(platform.GitHub.Calls.Last(c => c.Method == "POST" && c.Path == $"{repository}/issues/{payload["number"]}/comments").Body)!["body"]!.GetValue<string>();
        Assert.Contains($"installed {ui} 0.4.0-2", comment, StringComparison.Ordinal);
        Assert.Contains($"installed {core} 1.2.0-1", comment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_WithoutAProjectFile_FailsTheBuildCheck_WithTheReason()
    {
        var project = "bld-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/no-project";
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        platform.GitHub.Sources[repository] = new() { ["README.md"] = "not a Salesforce project" };
        await _webhooks.RegisterGitHubAppAsync(project);
        var hook = await _webhooks.RegisterGitHubAsync(project);

        var run = await PushAsync(hook, repository, "3333333333333333333333333333333333333333", created: true, modified: []);

        var outcome = await _webhooks.WaitForRunAsync(run, TimeSpan.FromMinutes(2));
        Assert.StartsWith("failed", outcome, StringComparison.Ordinal);
        Assert.Contains("no sfdx-project.json", outcome, StringComparison.Ordinal);
        var final = JsonNode.Parse(platform.GitHub.Calls.Last(c => c.Method == "POST" && c.Path == $"{repository}/statuses/3333333333333333333333333333333333333333").Body)!;
        Assert.Equal("failure", final["state"]!.GetValue<string>());
        Assert.Contains("no sfdx-project.json", final["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await _webhooks.ScalarAsync<long>("SELECT count(*) FROM workflow_step_runs WHERE run_id = $1", run));  // not retried
    }

    private async Task<Guid> PushAsync(WebhookTestClient.GitHubHook hook, string repository, string sha, bool created, string[] modified)
    {
        var payload = JsonNode.Parse(await File.ReadAllBytesAsync(
            Path.Combine(RepositoryPaths.TestData, "github-webhooks", "push", "with-new-branch.payload.json"), Cancellation))!;
        payload["repository"]!["full_name"] = repository;
        payload["after"] = sha;
        payload["created"] = created;
        payload["forced"] = false;
        payload["commits"]![0]!["id"] = sha;
        payload["commits"]![0]!["modified"] = new JsonArray([.. modified.Select(m => (JsonNode)JsonValue.Create(m))]);
        var delivered = await _webhooks.SendGitHubAsync(hook, "push", Encoding.UTF8.GetBytes(payload.ToJsonString()));
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        Assert.Equal("build", delivered.Text("workflow"));
        return Guid.Parse(delivered.Text("runId")!);
    }

    private static Dictionary<string, string> Untar(byte[] tarball)
    {
        var files = new Dictionary<string, string>();
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(tarball), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new System.Formats.Tar.TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            using var text = new StreamReader(entry.DataStream!);
            files[entry.Name] = text.ReadToEnd();
        }

        return files;
    }
}

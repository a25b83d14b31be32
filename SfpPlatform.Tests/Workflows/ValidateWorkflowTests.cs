using System.Net;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// A signed <c>pull_request.opened</c> through the edge → the validate workflow on the Workers' embedded engine →
/// a pending status and check run, the head commit's source as a git repository, the project's dev hub logged into
/// the workspace's auth store by the real CLI's library (JWT bearer flow against the HTTPS Salesforce stand-in), then
/// <c>sfp validate pool</c> with the flags sfp requires — parsed by the pinned sfp, the org resolved from the store,
/// only the deployment stood in for → the final status, the completed check run and a summary comment, all recorded
/// by the GitHub stand-in; the command line in the run log as its own line.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ValidateWorkflowTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenedPullRequest_IsValidated_WithStatusCheckRunAndComment(bool failing)
    {
        var project = "val-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/force-app";
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        var files = new Dictionary<string, string> { ["sfdx-project.json"] = """{"packageDirectories":[{"path":"force-app","default":true}]}""" };
        if (failing)
        {
            files["FAIL"] = "1 Apex test failed";
        }

        platform.GitHub.Sources[repository] = files;
        await _webhooks.RegisterGitHubAppAsync(project);
        await _webhooks.RegisterSalesforceAsync(project);
        var hook = await _webhooks.RegisterGitHubAsync(project);

        var (delivered, payload) = await _webhooks.OpenPullRequestAsync(hook, repository);
        var sha = payload["pull_request"]!["head"]!["sha"]!.GetValue<string>();
        var baseSha = payload["pull_request"]!["base"]!["sha"]!.GetValue<string>();
        var number = payload["number"]!.GetValue<int>();
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        Assert.Equal("validate", delivered.Text("workflow"));
        var runId = Guid.Parse(delivered.Text("runId")!);

        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(runId, TimeSpan.FromMinutes(2)));

        var calls = platform.GitHub.Calls.Where(c => c.Path.StartsWith(repository + "/", StringComparison.Ordinal)).ToList();
        var statuses = calls.Where(c => c.Method == "POST" && c.Path == $"{repository}/statuses/{sha}")
            .Select(c => JsonNode.Parse(c.Body)!).ToList();
        Assert.Equal(["pending", failing ? "failure" : "success"], statuses.Select(s => s["state"]!.GetValue<string>()));
        Assert.All(statuses, s => Assert.Equal("sfp/validate", s["context"]!.GetValue<string>()));
        Assert.Contains(calls, c => c.Method == "GET" && c.Path == $"{repository}/tarball/{sha}");
        Assert.Contains(calls, c => c.Method == "POST" && c.Path == $"{repository}/check-runs");
        var completed = JsonNode.Parse(Assert.Single(calls, c => c.Method == "PATCH" && c.Path.StartsWith($"{repository}/check-runs/", StringComparison.Ordinal)).Body)!;
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        Assert.Equal(failing ? "failure" : "success", completed["conclusion"]!.GetValue<string>());

        var comment = JsonNode.Parse(Assert.Single(calls, c => c.Method == "POST" && c.Path == $"{repository}/issues/{number}/comments").Body)!["body"]!.GetValue<string>();
        Assert.Contains(failing ? "Validation failed" : "Validation passed", comment, StringComparison.Ordinal);
        Assert.Contains(failing ? "validation failed: 1 Apex test failed" : "validated 1 package(s) against targetdevhubusername devhub = ci@example.com", comment, StringComparison.Ordinal);
        Assert.Contains("stand-in for sfp validate pool (no org here): targetdevhubusername devhub = ci@example.com", comment, StringComparison.Ordinal);
        Assert.Contains("registry: http", comment, StringComparison.Ordinal);          // npm resolves through Verdaccio
        Assert.Contains($"pull request: {repository}#{number} at {sha}", comment, StringComparison.Ordinal);
        Assert.Contains($"changes since {baseSha}: none", comment, StringComparison.Ordinal);   // both refs are commits of the workspace
        Assert.All(calls, c => Assert.StartsWith("ghs_", c.Token, StringComparison.Ordinal));
        Assert.Contains(calls, c => c.Method == "GET" && c.Path == $"{repository}/tarball/{baseSha}");

        // The run log: the login, then the exact command line, each a line of its own.
        var lines = await _webhooks.RunLogAsync(runId);
        Assert.Contains(lines, l => l.StartsWith("$ node ", StringComparison.Ordinal) && l.Contains("--alias devhub", StringComparison.Ordinal));
        Assert.Contains("Successfully authorized ci@example.com with org ID " + SaasStandIns.OrgId, lines);
        Assert.Contains($"$ sfp validate pool -p ci -v devhub --mode thorough --ref {sha} --baseRef {baseSha}", lines);
        Assert.DoesNotContain(lines, l => l.Contains("00Dstandin", StringComparison.Ordinal) || l.Contains("PRIVATE KEY", StringComparison.Ordinal));

        // The workspace — source, auth store, key file — is gone with the attempt (the Workers share this machine's temp folder).
        var runs = Path.Combine(Path.GetTempPath(), "sfp-runs");
        Assert.Empty(Directory.Exists(runs) ? Directory.GetDirectories(runs, $"{runId:n}-*") : []);
    }

    [Fact]
    public async Task PatOnlyProject_IsReportedWithCommitStatuses_NotCheckRuns()
    {
        // GitHub refuses check runs to a PAT (the stand-in answers 403 as it does): a PAT-only project must still be
        // validated and reported, through commit statuses and the comment.
        var project = "pat-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/force-app";
        platform.GitHub.Sources[repository] = new() { ["sfdx-project.json"] = """{"packageDirectories":[{"path":"force-app","default":true}]}""" };
        await _webhooks.RegisterGitHubPatAsync(project);
        await _webhooks.RegisterSalesforceAsync(project);
        var hook = await _webhooks.RegisterGitHubAsync(project);

        var (delivered, payload) = await _webhooks.OpenPullRequestAsync(hook, repository);
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        var sha = payload["pull_request"]!["head"]!["sha"]!.GetValue<string>();
        var number = payload["number"]!.GetValue<int>();

        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(Guid.Parse(delivered.Text("runId")!), TimeSpan.FromMinutes(2)));

        var calls = platform.GitHub.Calls.Where(c => c.Path.StartsWith(repository + "/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["pending", "success"], calls.Where(c => c.Method == "POST" && c.Path == $"{repository}/statuses/{sha}")
            .Select(c => JsonNode.Parse(c.Body)!["state"]!.GetValue<string>()));
        Assert.DoesNotContain(calls, c => c.Path.Contains("/check-runs", StringComparison.Ordinal));
        Assert.Single(calls, c => c.Method == "POST" && c.Path == $"{repository}/issues/{number}/comments");
        Assert.All(calls, c => Assert.StartsWith("ghp", c.Token, StringComparison.Ordinal));
        ReliabilityReport.Record(ReliabilityReport.Faults, "A PAT-only project", ("validations reported with commit statuses", 1), ("check runs attempted", 0));
    }
}

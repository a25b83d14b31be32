using System.Net;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// A signed <c>pull_request.opened</c> through the edge → the validate workflow on the Workers' embedded engine →
/// a pending status and check run, the head commit's source, the org session, the (stand-in) sfp command → the final
/// status, the completed check run and a summary comment, all recorded by the GitHub stand-in.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ValidateWorkflowTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

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
        Assert.Contains(failing ? "validation failed: 1 Apex test failed" : "validated 3 packages", comment, StringComparison.Ordinal);
        Assert.Contains("sfp validate pool", comment, StringComparison.Ordinal);
        Assert.Contains("registry: http", comment, StringComparison.Ordinal);          // npm resolves through Verdaccio
        Assert.Contains($"with token {Workers.Processes.ProcessRunner.Mask}", comment, StringComparison.Ordinal);  // the org session, masked
        Assert.Contains($"pull request: {repository}#{number} at {sha}", comment, StringComparison.Ordinal);
        Assert.All(calls, c => Assert.StartsWith("ghs_", c.Token, StringComparison.Ordinal));

        var log = await _webhooks.ScalarAsync<string>("SELECT string_agg(line, E'\\n' ORDER BY id) FROM workflow_logs WHERE run_id = $1", runId);
        Assert.Contains("sfp validate pool", log, StringComparison.Ordinal);
        Assert.DoesNotContain("with token 00D", log, StringComparison.Ordinal);
    }
}

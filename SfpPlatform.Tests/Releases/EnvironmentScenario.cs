using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Releases;

/// <summary>A project with <c>uat</c> (mapped to <c>main</c>) and <c>prod</c> (one approval), a pushed build deployed to uat; and the waits the environment tests share.</summary>
public sealed class EnvironmentScenario(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static readonly TimeSpan Slow = TimeSpan.FromMinutes(4);

    private const string Project = """
        {
          "packageDirectories": [
            { "path": "src/core", "package": "Core", "versionNumber": "1.2.0.NEXT", "default": true }
          ],
          "sourceApiVersion": "62.0"
        }
        """;

    public sealed record Setup(string Project, string Repository, WebhookTestClient.GitHubHook Hook, string Sha);

    public async Task<Setup> SetUpAsync(string[] prodApprovers)
    {
        var project = "env-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/force-app";
        var sha = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "01234567";
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        platform.GitHub.Commits.GetOrAdd(repository, _ => new())[sha] = true;
        platform.GitHub.Sources[repository] = new()
        {
            ["sfdx-project.json"] = Project,
            [".forceignore"] = "**/jsconfig.json\n",
            ["config/project-scratch-def.json"] = """{ "orgName": "acme", "edition": "Developer" }""",
            ["src/core/classes/Account.cls"] = "public class Account {}",
            ["src/core/classes/Account.cls-meta.xml"] = """<?xml version="1.0" encoding="UTF-8"?><ApexClass xmlns="http://soap.sforce.com/2006/04/metadata"><apiVersion>62.0</apiVersion><status>Active</status></ApexClass>""",
        };
        await _webhooks.RegisterGitHubAppAsync(project);
        var devHub = await IntegrationNameAsync(await _webhooks.RegisterSalesforceAuthUrlAsync(project));
        var hook = await _webhooks.RegisterGitHubAsync(project);

        using var owner = await _webhooks.OwnerAsync();
        foreach (var (name, body) in new (string, object)[]
        {
            ("uat", new { salesforceIntegration = devHub, branch = "main", promotionOrder = 1 }),
            ("prod", new { salesforceIntegration = devHub, promotionOrder = 2, requiredApprovals = 1, approvers = prodApprovers, allowedBranches = new[] { "main" } }),
        })
        {
            using var saved = await owner.PutAsJsonAsync($"/sfp/api/projects/{project}/environments/{name}", body, Cancellation);
            Assert.True(saved.StatusCode == HttpStatusCode.Created, await saved.Content.ReadAsStringAsync(Cancellation));
        }

        var payload = JsonNode.Parse(await File.ReadAllBytesAsync(
            Path.Combine(RepositoryPaths.TestData, "github-webhooks", "push", "with-new-branch.payload.json"), Cancellation))!;
        payload["ref"] = "refs/heads/main";
        payload["repository"]!["full_name"] = repository;
        payload["repository"]!["default_branch"] = "main";
        payload["repository"]!["master_branch"] = "main";
        payload["after"] = sha;
        payload["created"] = true;
        payload["forced"] = false;
        payload["commits"]![0]!["id"] = sha;
        var delivered = await _webhooks.SendGitHubAsync(hook, "push", Encoding.UTF8.GetBytes(payload.ToJsonString()));
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        Assert.Equal("build", delivered.Text("workflow"));
        await _webhooks.AssertSucceedsAsync(Guid.Parse(delivered.Text("runId")!), Slow);
        return new Setup(project, repository, hook, sha);
    }

    public async Task<string> IntegrationNameAsync(string id)
    {
        using var owner = await _webhooks.OwnerAsync();
        return (await owner.GetFromJsonAsync<JsonObject>($"/sfp/api/integrations/{id}", Cancellation))!["name"]!.GetValue<string>();
    }

    /// <summary>Comments on pull request 7 as <paramref name="login"/>; returns the platform's reply.</summary>
    public async Task<string> CommentAsync(Setup setup, string login, string comment)
    {
        var payload = JsonNode.Parse(await File.ReadAllBytesAsync(
            Path.Combine(RepositoryPaths.TestData, "github-webhooks", "issue_comment", "created.payload.json"), Cancellation))!;
        payload["comment"]!["body"] = comment;
        payload["comment"]!["id"] = Random.Shared.NextInt64(1, long.MaxValue / 2);
        payload["sender"]!["login"] = login;
        payload["repository"]!["full_name"] = setup.Repository;
        payload["issue"]!["number"] = 7;
        payload["issue"]!["pull_request"] = new JsonObject { ["url"] = $"https://api.github.com/repos/{setup.Repository}/pulls/7" };
        var delivered = await _webhooks.SendGitHubAsync(setup.Hook, "issue_comment", Encoding.UTF8.GetBytes(payload.ToJsonString()), deliveryId: Guid.NewGuid().ToString());
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        var runId = Guid.Parse(delivered.Text("runId")!);
        await _webhooks.AssertSucceedsAsync(runId, TimeSpan.FromMinutes(2));
        var replies = platform.GitHub.Calls.Where(c => c.Method == "POST" && c.Path == $"{setup.Repository}/issues/7/comments").Select(c => JsonNode.Parse(c.Body)!["body"]!.GetValue<string>());
        return replies.Last(r => r.StartsWith($"@{login} ", StringComparison.Ordinal));
    }

    public List<JsonNode> Calls(string project, string environment) =>
        [.. (File.Exists(platform.SfpStandInCalls) ? File.ReadAllLines(platform.SfpStandInCalls) : [])
            .Select(l => JsonNode.Parse(l)!)
            .Where(c => c["project"]?.GetValue<string>() == project && c["environment"]?.GetValue<string>() == environment)];

    /// <summary>The GitHub deployment statuses of each deployment to the environment, oldest deployment first.</summary>
    public List<List<string>> DeploymentStates(string repository, string environment)
    {
        var ids = platform.GitHub.Deployments.Where(d => d.Value.Repository == repository && d.Value.Environment == environment).Select(d => d.Key).Order().ToList();
        return [.. ids.Select(id => platform.GitHub.DeploymentStatuses.Where(s => s.Deployment == id).Select(s => s.State).ToList())];
    }

    public async Task<JsonObject> DeploymentAsync(JsonObject deployment)
    {
        using var member = await _webhooks.ClientAsync("member");
        return (await member.GetFromJsonAsync<JsonObject>($"/sfp/api/deployments/{deployment["id"]}", Cancellation))!;
    }

    public async Task<JsonObject> WaitForDeploymentAsync(JsonObject deployment, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var current = await DeploymentAsync(deployment);
            var now = current["status"]!.GetValue<string>();
            if (now == status)
            {
                return current;
            }

            if (DateTime.UtcNow >= deadline || now is "succeeded" or "failed" or "rejected" or "cancelled")
            {
                var run = Guid.Parse(current["runId"]!.GetValue<string>());
                var log = await _webhooks.ScalarAsync<object?>("SELECT string_agg(line, E'\\n' ORDER BY id) FROM workflow_logs WHERE run_id = $1", run);
                Assert.Fail($"deployment {deployment["id"]} is {now} ({current["error"]}), not {status}; run {run}:\n{log}");
            }

            await Task.Delay(250, Cancellation);
        }
    }

    /// <summary>The first deployment to the environment reaching <paramref name="status"/>.</summary>
    public async Task<JsonObject> WaitForDeploymentAsync(string project, string environment, string status, TimeSpan timeout)
    {
        using var member = await _webhooks.ClientAsync("member");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var history = await member.GetFromJsonAsync<JsonArray>($"/sfp/api/projects/{project}/environments/{environment}/deployments", Cancellation);
            if (history!.LastOrDefault() is JsonObject oldest)
            {
                return await WaitForDeploymentAsync(oldest, status, deadline - DateTime.UtcNow);
            }

            Assert.True(DateTime.UtcNow < deadline, $"no deployment to {environment} of {project}");
            await Task.Delay(250, Cancellation);
        }
    }

    public async Task WaitForRunStatusAsync(Guid run, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        string now;
        while ((now = await _webhooks.ScalarAsync<string>("SELECT status FROM workflow_runs WHERE id = $1", run)) != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {run} is {now}, not {status}");
            await Task.Delay(200, Cancellation);
        }
    }


    /// <summary>Waits until the run has parked: an attempt of its step ended waiting and no worker holds it.</summary>
    public async Task WaitForParkedAsync(Guid run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await _webhooks.ScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM workflow_step_runs WHERE run_id = $1 AND status = 'waiting') AND (SELECT lease_owner IS NULL AND status <> 'running' FROM workflow_runs WHERE id = $1)", run))
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {run} did not park");
            await Task.Delay(200, Cancellation);
        }
    }
}

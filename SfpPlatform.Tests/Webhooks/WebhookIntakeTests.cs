using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Webhooks;

/// <summary>
/// The real payload corpus, signed (or basic-authenticated) and sent through the edge: every delivery is stored
/// exactly once, byte for byte, and routed as the default rules say; redelivery adds nothing.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookIntakeTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    private static string GitHubData => Path.Combine(RepositoryPaths.TestData, "github-webhooks");

    private static string AzureDevOpsData => Path.Combine(RepositoryPaths.TestData, "azure-devops-hooks");

    public static TheoryData<string> GitHubPayloads => [.. Directory.GetFiles(GitHubData, "*.json", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(GitHubData, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    public static TheoryData<string> AzureDevOpsPayloads => [.. Directory.GetFiles(AzureDevOpsData, "*.json")
        .Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>What the default rules say each sample starts (null: stored, nothing run).</summary>
    private static string? ExpectedGitHubWorkflow(string file) => file switch
    {
        // Pushes to the default branch (master); the other push samples delete a tag.
        "push/with-new-branch.payload.json" or "push/with-no-username-committer.payload.json" => "build",
        _ when file.StartsWith("pull_request/opened", StringComparison.Ordinal)
            || file.StartsWith("pull_request/reopened", StringComparison.Ordinal)
            || file.StartsWith("pull_request/synchronize", StringComparison.Ordinal)
            || file.StartsWith("pull_request/ready_for_review", StringComparison.Ordinal) => "validate",
        _ when file.StartsWith("pull_request/closed", StringComparison.Ordinal) => "review-env-teardown",
        // Every issue_comment sample is on an issue, not a pull request; the rest are events nothing routes.
        _ => null,
    };

    private static string? ExpectedAzureDevOpsWorkflow(string file) => file switch
    {
        "git.push.json" => "build",                                   // refs/heads/master, the default branch
        "git.pullrequest.created.json" => "validate",
        "git.pullrequest.updated.json" => "review-env-teardown",      // status completed
        "git.pullrequest.merged.json" => "review-env-teardown",       // status completed
        _ => null,                                                    // votes, comments without /sfp, builds, pipelines
    };

    [Theory]
    [MemberData(nameof(GitHubPayloads))]
    public async Task GitHubSample_IsStoredOnce_AndRoutedByTheDefaultRules(string file)
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var body = await File.ReadAllBytesAsync(Path.Combine(GitHubData, file), TestContext.Current.CancellationToken);
        var eventName = file.Split('/')[0];
        var deliveryId = Guid.NewGuid().ToString();
        var expected = ExpectedGitHubWorkflow(file);

        var first = await _webhooks.SendGitHubAsync(hook, eventName, body, deliveryId);

        Assert.True(first.Status == HttpStatusCode.OK, first.Body);
        Assert.Equal(expected is null ? "ignored" : "routed", first.Text("status"));
        Assert.Equal(expected, first.Text("workflow"));
        Assert.Equal(1, await _webhooks.DeliveriesAsync("github", deliveryId));
        Assert.Equal(expected is null ? 0 : 1, await _webhooks.RunsForAsync("github", deliveryId));
        Assert.Equal(body, await _webhooks.ScalarAsync<byte[]>("SELECT body FROM webhook_deliveries WHERE delivery_id = $1", deliveryId));
        Assert.Equal(eventName, await _webhooks.ScalarAsync<string>("SELECT event FROM webhook_deliveries WHERE delivery_id = $1", deliveryId));
        if (expected is not null)
        {
            Assert.Equal(expected, await _webhooks.ScalarAsync<string>(
                "SELECT r.workflow FROM workflow_runs r JOIN webhook_deliveries d ON d.id = r.delivery_id WHERE d.delivery_id = $1", deliveryId));
        }

        // GitHub keeps the delivery id on redelivery: 200, nothing added.
        var again = await _webhooks.SendGitHubAsync(hook, eventName, body, deliveryId);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("duplicate", again.Text("status"));
        Assert.Equal(1, await _webhooks.DeliveriesAsync("github", deliveryId));
        Assert.Equal(expected is null ? 0 : 1, await _webhooks.RunsForAsync("github", deliveryId));
    }

    [Theory]
    [MemberData(nameof(AzureDevOpsPayloads))]
    public async Task AzureDevOpsSample_IsStoredOnce_AndRoutedByTheDefaultRules(string file)
    {
        var hook = await _webhooks.RegisterAzureDevOpsAsync();
        var body = await File.ReadAllBytesAsync(Path.Combine(AzureDevOpsData, file), TestContext.Current.CancellationToken);
        var deliveryId = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        var expected = ExpectedAzureDevOpsWorkflow(file);
        // The documentation samples reuse event ids across different events (README); start from a clean slate for this id.
        await ForgetAzureDevOpsDeliveryAsync(deliveryId);

        var first = await _webhooks.SendAzureDevOpsAsync(hook, body);

        Assert.True(first.Status == HttpStatusCode.OK, first.Body);
        Assert.Equal(expected is null ? "ignored" : "routed", first.Text("status"));
        Assert.Equal(expected, first.Text("workflow"));
        Assert.Equal(1, await _webhooks.DeliveriesAsync("azure-devops", deliveryId));
        Assert.Equal(expected is null ? 0 : 1, await _webhooks.RunsForAsync("azure-devops", deliveryId));
        Assert.Equal(body, await _webhooks.ScalarAsync<byte[]>(
            "SELECT body FROM webhook_deliveries WHERE provider = 'azure-devops' AND delivery_id = $1", deliveryId));
        var headers = await _webhooks.ScalarAsync<string>(
            "SELECT headers::text FROM webhook_deliveries WHERE provider = 'azure-devops' AND delivery_id = $1", deliveryId);
        Assert.Contains("X-VSS-ActivityId", headers, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", headers, StringComparison.OrdinalIgnoreCase);

        // Azure DevOps retries a failed notification with the same event id.
        var again = await _webhooks.SendAzureDevOpsAsync(hook, body);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("duplicate", again.Text("status"));
        Assert.Equal(1, await _webhooks.DeliveriesAsync("azure-devops", deliveryId));
        Assert.Equal(expected is null ? 0 : 1, await _webhooks.RunsForAsync("azure-devops", deliveryId));
    }

    public static TheoryData<string, string, string?> CommentCases => new()
    {
        { "/sfp validate", "created", "command" },
        { "  /sfp review-env --duration 48h\nplease", "created", "command" },
        { "/sfp frobnicate", "created", "command" },          // unknown: the command workflow answers with help
        { "/sfp", "created", "command" },                      // bare: help
        { "/sfpvalidate", "created", null },                   // not the command
        { "looks good, /sfp validate later", "created", null }, // not at the start
        { "/sfp validate", "edited", null },                   // edits are ignored
        { "/sfp validate", "deleted", null },
    };

    [Theory]
    [MemberData(nameof(CommentCases))]
    public async Task PullRequestComment_WithSfpCommand_IsRoutedToTheCommandWorkflow(string comment, string action, string? expected)
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        // Real edited/deleted deliveries carry their own fields (an edit has "changes"): start from those samples.
        var payload = await SampleAsync($"issue_comment/{action}.payload.json");
        payload["comment"]!["body"] = comment;
        payload["issue"]!["pull_request"] = new JsonObject { ["url"] = "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };

        var response = await _webhooks.SendGitHubAsync(hook, "issue_comment", Bytes(payload));

        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        Assert.Equal(expected, response.Text("workflow"));
        if (expected is not null)
        {
            var input = JsonNode.Parse(await _webhooks.ScalarAsync<string>("SELECT input::text FROM workflow_runs WHERE id = $1",
                Guid.Parse(response.Text("runId")!)))!;
            var name = comment.Trim().Split(' ', '\n')[0] == "/sfp" && comment.Trim().Length > 4
                ? comment.Trim().Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries)[1] : "help";
            Assert.Equal(name, input["event"]!["command"]!["name"]!.GetValue<string>());
            Assert.Equal(name is "validate" or "review-env" or "help", input["event"]!["command"]!["known"]!.GetValue<bool>());
            Assert.Equal("Codertocat", input["event"]!["sender"]!["login"]!.GetValue<string>());
            Assert.Equal(1, input["event"]!["pullRequest"]!["number"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task CommentFromABot_IsStoredButNotRouted()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var payload = await SampleAsync("issue_comment/created.payload.json");
        payload["comment"]!["body"] = "/sfp validate";
        payload["issue"]!["pull_request"] = new JsonObject { ["url"] = "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };
        payload["sender"]!["login"] = "sfp-platform[bot]";
        payload["sender"]!["type"] = "Bot";

        var response = await _webhooks.SendGitHubAsync(hook, "issue_comment", Bytes(payload));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("ignored", response.Text("status"));
        Assert.Contains("bot", response.Text("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DraftPullRequest_IsSkipped_ButItsClosingStillTearsDown()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var opened = await SampleAsync("pull_request/opened.payload.json");
        opened["pull_request"]!["draft"] = true;
        var closed = await SampleAsync("pull_request/closed.payload.json");
        closed["pull_request"]!["draft"] = true;

        var openedResponse = await _webhooks.SendGitHubAsync(hook, "pull_request", Bytes(opened));
        var closedResponse = await _webhooks.SendGitHubAsync(hook, "pull_request", Bytes(closed));

        Assert.Equal("ignored", openedResponse.Text("status"));
        Assert.Contains("draft", openedResponse.Text("reason"), StringComparison.Ordinal);
        Assert.Equal("review-env-teardown", closedResponse.Text("workflow"));
    }

    [Theory]
    [InlineData("refs/heads/master", "build")]
    [InlineData("refs/heads/release/2026.11", "build")]
    [InlineData("refs/heads/release/2026/11", null)]   // '*' stays within one path segment
    [InlineData("refs/heads/feature/login", null)]
    [InlineData("refs/tags/v1.0.0", null)]
    public async Task Push_BuildsTheDefaultBranchAndReleaseBranchesOnly(string gitRef, string? expected)
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var push = await SampleAsync("push/with-new-branch.payload.json");
        push["ref"] = gitRef;

        var response = await _webhooks.SendGitHubAsync(hook, "push", Bytes(push));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(expected, response.Text("workflow"));
    }

    [Fact]
    public async Task ProjectRules_ReplaceTheDefaults_ForThatProjectOnly()
    {
        var project = "rules-" + Guid.NewGuid().ToString("n")[..8];
        var projectHook = await _webhooks.RegisterGitHubAsync(project);
        var globalHook = await _webhooks.RegisterGitHubAsync();
        using var owner = await platform.ClientAsync(Caller.Owner);
        using var put = await owner.PutAsync($"/sfp/api/webhooks/routing-rules/{project}", Json(new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["event"] = "pull_request", ["actions"] = new JsonArray("labeled"), ["workflow"] = "validate",
            }),
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var labeled = Bytes(await SampleAsync("pull_request/labeled.payload.json"));
        var opened = Bytes(await SampleAsync("pull_request/opened.payload.json"));

        Assert.Equal("validate", (await _webhooks.SendGitHubAsync(projectHook, "pull_request", labeled)).Text("workflow"));
        Assert.Null((await _webhooks.SendGitHubAsync(projectHook, "pull_request", opened)).Text("workflow"));
        Assert.Null((await _webhooks.SendGitHubAsync(globalHook, "pull_request", labeled)).Text("workflow"));
        Assert.Equal("validate", (await _webhooks.SendGitHubAsync(globalHook, "pull_request", opened)).Text("workflow"));

        using var delete = await owner.DeleteAsync($"/sfp/api/webhooks/routing-rules/{project}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal("validate", (await _webhooks.SendGitHubAsync(projectHook, "pull_request", opened)).Text("workflow"));
    }

    [Fact]
    public async Task AzureDevOpsPullRequestComment_WithSfpCommand_IsRouted()
    {
        var hook = await _webhooks.RegisterAzureDevOpsAsync();
        var payload = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(AzureDevOpsData, "ms.vss-code.git-pullrequest-comment-event.json"),
            TestContext.Current.CancellationToken))!;
        payload["id"] = Guid.NewGuid().ToString();
        payload["resource"]!["comment"]!["content"] = "/sfp extend 24h";
        payload["resource"]!["comment"]!["lastContentUpdatedDate"] = payload["resource"]!["comment"]!["publishedDate"]!.GetValue<string>();

        var response = await _webhooks.SendAzureDevOpsAsync(hook, Bytes(payload));

        Assert.True(response.Status == HttpStatusCode.OK, response.Body);
        Assert.Equal("command", response.Text("workflow"));
        var input = JsonNode.Parse(await _webhooks.ScalarAsync<string>("SELECT input::text FROM workflow_runs WHERE id = $1",
            Guid.Parse(response.Text("runId")!)))!;
        Assert.Equal("extend", input["event"]!["command"]!["name"]!.GetValue<string>());
        Assert.Equal("24h", input["event"]!["command"]!["args"]![0]!.GetValue<string>());
        Assert.Equal("Fabrikam/Fabrikam", input["event"]!["repository"]!["fullName"]!.GetValue<string>());
        Assert.Equal("fabrikam", input["event"]!["organization"]!.GetValue<string>());
    }

    private async Task ForgetAzureDevOpsDeliveryAsync(string deliveryId)
    {
        await _webhooks.ScalarAsync<object?>(
            "DELETE FROM workflow_runs WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE provider = 'azure-devops' AND delivery_id = $1)",
            deliveryId);
        await _webhooks.ScalarAsync<object?>("DELETE FROM webhook_deliveries WHERE provider = 'azure-devops' AND delivery_id = $1", deliveryId);
    }

    private static async Task<JsonNode> SampleAsync(string file) =>
        JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(GitHubData, file), TestContext.Current.CancellationToken))!;

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");
}

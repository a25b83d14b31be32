using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// The same workflows for Azure DevOps, through the edge and the Workers to the Azure DevOps stand-in (REST 7.1, PAT
/// as basic auth): a created pull request is validated from the items API's zip of its source commit and reported as
/// pull request statuses and a thread; a <c>/sfp</c> comment is answered in a thread.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AzureDevOpsWorkflowTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Fact]
    public async Task CreatedPullRequest_IsValidated_WithPullRequestStatusesAndAThread()
    {
        var project = "adov-" + Guid.NewGuid().ToString("n")[..8];
        var repo = "repo-" + Guid.NewGuid().ToString("n")[..8];
        platform.Saas.AzureDevOpsSources[$"Fabrikam/{repo}"] = new()
        {
            ["sfdx-project.json"] = """{"packageDirectories":[{"path":"force-app","default":true}]}""",
            ["force-app/main/default/classes/A.cls"] = "public class A {}",
        };
        // A global PAT for the organisation's public URL loses to the project's own PAT, registered under the stand-in's address.
        await _webhooks.RegisterAzureDevOpsPatAsync(null, "https://dev.azure.com/contoso", TestSecrets.Token("globalpat"));
        await _webhooks.RegisterAzureDevOpsPatAsync(project);
        await _webhooks.RegisterSalesforceAsync(project);
        var hook = await _webhooks.RegisterAzureDevOpsAsync(project);

        var payload = await PayloadAsync("git.pullrequest.created.json");
        payload["resource"]!["repository"]!["name"] = repo;
        var delivered = await _webhooks.SendAzureDevOpsAsync(hook, Encoding.UTF8.GetBytes(payload.ToJsonString()));
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        Assert.Equal("validate", delivered.Text("workflow"));

        var runId = Guid.Parse(delivered.Text("runId")!);
        await _webhooks.AssertSucceedsAsync(runId, TimeSpan.FromMinutes(2));

        // The pull request's source and target commits (the service hook's lastMergeSourceCommit / lastMergeTargetCommit).
        Assert.Contains("$ sfp validate pool -p ci -v devhub --mode thorough --ref 53d54ac915144006c2c9e90d2c7d3880920db49c --baseRef a511f535b1ea495ee0c903badb68fbc83772c882",
            await _webhooks.RunLogAsync(runId));
        var calls = platform.Saas.AzureDevOpsRequests.Where(r => r.Target.Contains($"/repositories/{repo}/", StringComparison.Ordinal)).ToList();
        Assert.Contains(calls, c => c.Method == "GET" && c.Target.Contains("/items?", StringComparison.Ordinal)
            && c.Target.Contains("versionDescriptor.version=53d54ac915144006c2c9e90d2c7d3880920db49c", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.Method == "GET" && c.Target.Contains("/items?", StringComparison.Ordinal)
            && c.Target.Contains("versionDescriptor.version=a511f535b1ea495ee0c903badb68fbc83772c882", StringComparison.Ordinal));
        var statuses = calls.Where(c => c.Method == "POST" && c.Target.StartsWith($"/contoso/Fabrikam/_apis/git/repositories/{repo}/pullRequests/1/statuses", StringComparison.Ordinal))
            .Select(c => JsonNode.Parse(c.Body)!).ToList();
        Assert.Equal(["pending", "succeeded"], statuses.Select(s => s["state"]!.GetValue<string>()));
        Assert.All(statuses, s => Assert.Equal("validate", s["context"]!["name"]!.GetValue<string>()));
        Assert.All(statuses, s => Assert.Equal("sfp", s["context"]!["genre"]!.GetValue<string>()));
        var thread = JsonNode.Parse(Assert.Single(calls, c => c.Method == "POST" && c.Target.Contains("/pullRequests/1/threads", StringComparison.Ordinal)).Body)!;
        var content = thread["comments"]![0]!["content"]!.GetValue<string>();
        Assert.Contains("Validation passed", content, StringComparison.Ordinal);
        Assert.Contains($"pull request: Fabrikam/{repo}#1 at 53d54ac915144006c2c9e90d2c7d3880920db49c", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SfpComment_IsAnsweredInAThread()
    {
        var project = "adoc-" + Guid.NewGuid().ToString("n")[..8];
        var repo = "repo-" + Guid.NewGuid().ToString("n")[..8];
        await _webhooks.RegisterAzureDevOpsPatAsync(project);
        var hook = await _webhooks.RegisterAzureDevOpsAsync(project);

        var payload = await PayloadAsync("ms.vss-code.git-pullrequest-comment-event.json");
        payload["resource"]!["comment"]!["content"] = "/sfp help";
        // The sample's comment was edited after publishing; a new comment has one date for both.
        payload["resource"]!["comment"]!["lastContentUpdatedDate"] = payload["resource"]!["comment"]!["publishedDate"]!.GetValue<string>();
        payload["resource"]!["pullRequest"]!["repository"]!["name"] = repo;
        var delivered = await _webhooks.SendAzureDevOpsAsync(hook, Encoding.UTF8.GetBytes(payload.ToJsonString()));
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        Assert.Equal("command", delivered.Text("workflow"));

        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(Guid.Parse(delivered.Text("runId")!), TimeSpan.FromMinutes(1)));

        var thread = Assert.Single(platform.Saas.AzureDevOpsRequests, r => r.Method == "POST"
            && r.Target.StartsWith($"/contoso/Fabrikam/_apis/git/repositories/{repo}/pullRequests/1/threads?api-version=7.1", StringComparison.Ordinal));
        Assert.Contains("these are the `/sfp` commands", JsonNode.Parse(thread.Body)!["comments"]![0]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>A documented sample, as a delivery of its own (a fresh id) from the stand-in's organisation.</summary>
    private static async Task<JsonNode> PayloadAsync(string file)
    {
        var payload = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.TestData, "azure-devops-hooks", file), Cancellation))!;
        payload["id"] = Guid.NewGuid().ToString();
        payload["resourceContainers"]!["account"]!["baseUrl"] = "https://dev.azure.com/contoso/";
        return payload;
    }
}

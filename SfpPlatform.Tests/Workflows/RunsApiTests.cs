using System.Net;
using System.Text.Json.Nodes;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;
using SfpPlatform.Topology;

namespace SfpPlatform.Tests.Workflows;

/// <summary>The runs Api through the edge: list and filter, one run with its steps, its log polled by line id, cancel; roles and bad input.</summary>
[Collection(PlatformCollection.Name)]
public sealed class RunsApiTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Fact]
    public async Task Run_IsListedWithItsStepsAndLog_AndTheLogIsReadOnwardFromALineId()
    {
        var project = "runs-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/force-app";
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        platform.GitHub.Sources[repository] = new() { ["sfdx-project.json"] = """{"packageDirectories":[{"path":"force-app"}]}""" };
        await _webhooks.RegisterGitHubAppAsync(project);
        await _webhooks.RegisterSalesforceAsync(project);
        var hook = await _webhooks.RegisterGitHubAsync(project);
        var runId = Guid.Parse((await _webhooks.OpenPullRequestAsync(hook, repository)).Delivered.Text("runId")!);
        // The validation runs the real CLI's login and parser: up to a minute or two on a loaded machine.
        await _webhooks.AssertSucceedsAsync(runId, TimeSpan.FromMinutes(2));

        using var member = await platform.ClientAsync(Caller.Member);
        var list = await JsonAsync(member, $"/sfp/api/runs?projectKey={project}&workflow=validate");
        var listed = Assert.Single(list["data"]!.AsArray())!;
        Assert.Equal(runId.ToString(), listed["id"]!.GetValue<string>());
        Assert.Equal("succeeded", listed["status"]!.GetValue<string>());

        var detail = await JsonAsync(member, $"/sfp/api/runs/{runId}");
        Assert.Equal(["review-environment", "validate"], detail["steps"]!.AsArray().Select(s => s!["step"]!.GetValue<string>()));

        var log = await JsonAsync(member, $"/sfp/api/runs/{runId}/logs");
        var lines = log["lines"]!.AsArray();
        Assert.Contains(lines, l => l!["line"]!.GetValue<string>().Contains("validated 1 package(s)", StringComparison.Ordinal));
        var ids = lines.Select(l => l!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(ids.Order(), ids);
        var onward = await JsonAsync(member, $"/sfp/api/runs/{runId}/logs?afterId={ids[1]}");
        Assert.Equal(ids.Skip(2), onward["lines"]!.AsArray().Select(l => l!["id"]!.GetValue<long>()));

        // A finished run cannot be cancelled; members may not try.
        using var owner = await platform.ClientAsync(Caller.Owner);
        using var ended = await owner.PostAsync($"/sfp/api/runs/{runId}/cancel", null, Cancellation);
        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
        using var refused = await member.PostAsync($"/sfp/api/runs/{runId}/cancel", null, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task QueuedRun_IsCancelledByAnOwner()
    {
        // A run of a workflow no worker runs stays queued: cancelling it means it never starts.
        var connection = (await platform.App.GetConnectionStringAsync(ServiceNames.Postgres, Cancellation))!;
        var runId = Guid.CreateVersion7();
        await Sql.ScalarAsync<object?>(connection, """
            INSERT INTO workflow_runs (id, workflow, status, input, created_at, updated_at, next_attempt_at, attempt, cancel_requested)
            VALUES ($1, 'not-a-known-workflow', 'queued', '{}'::jsonb, now(), now(), now(), 0, false)
            """, [runId], Cancellation);

        using var owner = await platform.ClientAsync(Caller.Owner);
        using var response = await owner.PostAsync($"/sfp/api/runs/{runId}/cancel", null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(RunStatuses.Cancelled, JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(Caller.Anonymous, "/sfp/api/runs", HttpStatusCode.Unauthorized)]
    [InlineData(Caller.Member, "/sfp/api/runs?status=lost", HttpStatusCode.BadRequest)]
    [InlineData(Caller.Member, "/sfp/api/runs?workflow=deploy-everything", HttpStatusCode.BadRequest)]
    [InlineData(Caller.Member, "/sfp/api/runs?pageSize=1000", HttpStatusCode.BadRequest)]
    [InlineData(Caller.Member, "/sfp/api/runs/00000000-0000-0000-0000-000000000001", HttpStatusCode.NotFound)]
    [InlineData(Caller.Member, "/sfp/api/runs/00000000-0000-0000-0000-000000000001/logs", HttpStatusCode.NotFound)]
    [InlineData(Caller.Member, "/sfp/api/runs/not-a-guid", HttpStatusCode.NotFound)]
    public async Task BadRequests_GetTheirProblem(Caller caller, string path, HttpStatusCode expected)
    {
        using var client = await platform.ClientAsync(caller);
        using var response = await client.GetAsync(path, Cancellation);

        Assert.Equal(expected, response.StatusCode);
        if (expected is HttpStatusCode.BadRequest)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static async Task<JsonNode> JsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}

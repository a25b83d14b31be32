using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// End to end through the real processes: a signed <c>/sfp</c> comment through the edge → stored with its run →
/// claimed by the Workers' embedded engine → the commenter's permission read from GitHub with an installation token →
/// the reply posted on the pull request (the GitHub stand-in records it).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CommandWorkflowTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Theory]
    [InlineData("octocat", "/sfp frobnicate", "`frobnicate` is not an `/sfp` command")]
    [InlineData("octocat", "/sfp help", "these are the `/sfp` commands")]
    [InlineData("outsider", "/sfp validate", "needs write, maintain or admin permission")]
    [InlineData("octocat", "/sfp validate", "`/sfp validate` started (validate")]
    public async Task SfpComment_IsAnsweredOnThePullRequest(string commenter, string comment, string expectedReply)
    {
        var project = "cmd-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/force-app";
        var installationId = Random.Shared.NextInt64(1000, 1_000_000);
        platform.GitHub.Installations[repository] = installationId;
        await _webhooks.RegisterGitHubAppAsync(project);
        var hook = await _webhooks.RegisterGitHubAsync(project);

        var payload = JsonNode.Parse(await File.ReadAllBytesAsync(
            Path.Combine(RepositoryPaths.TestData, "github-webhooks", "issue_comment", "created.payload.json"), Cancellation))!;
        payload["comment"]!["body"] = comment;
        payload["sender"]!["login"] = commenter;
        payload["repository"]!["full_name"] = repository;
        payload["issue"]!["number"] = 7;
        payload["issue"]!["pull_request"] = new JsonObject { ["url"] = $"https://api.github.com/repos/{repository}/pulls/7" };

        var delivered = await _webhooks.SendGitHubAsync(hook, "issue_comment", Encoding.UTF8.GetBytes(payload.ToJsonString()));
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        Assert.Equal("command", delivered.Text("workflow"));
        var runId = Guid.Parse(delivered.Text("runId")!);

        var status = await _webhooks.WaitForRunAsync(runId);
        Assert.Equal("succeeded", status);
        var reply = Assert.Single(platform.GitHub.Calls, c => c.Method == "POST" && c.Path == $"{repository}/issues/7/comments");
        Assert.Contains(expectedReply, JsonNode.Parse(reply.Body)!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(platform.GitHub.Calls, c => c.Method == "GET" && c.Path == $"{repository}/collaborators/{commenter}/permission");
        Assert.StartsWith("ghs_", reply.Token, StringComparison.Ordinal);   // an installation token, not a PAT

        var dispatched = await _webhooks.ScalarAsync<long>(
            "SELECT count(*) FROM workflow_runs WHERE idempotency_key = $1 AND workflow = 'validate'", $"command:{runId}");
        Assert.Equal(expectedReply.Contains("started", StringComparison.Ordinal) ? 1 : 0, dispatched);
    }

    [Fact]
    public async Task OneTrace_RunsFromTheDeliveryThroughTheEngineToTheStepAndItsGitHubCalls()
    {
        var (hook, payload) = await HelpCommandAsync("traced", pullRequest: 2);

        // A trace the services export at their sample ratio (ordinary traces are exported by trace id).
        var delivered = await _webhooks.SendGitHubAsync(hook, "issue_comment", Encoding.UTF8.GetBytes(payload.ToJsonString()),
            adjust: request => request.Headers.Add("traceparent", TraceParents.InRatio()));
        var runId = Guid.Parse(delivered.Text("runId")!);
        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(runId));
        var traceParent = await _webhooks.ScalarAsync<string>("SELECT trace_parent FROM workflow_runs WHERE id = $1", runId);
        var traceId = traceParent.Split('-')[1];

        var edge = await platform.Traces.WaitForSpanAsync(s => s.TraceId == traceId && s.Service == "edge", TimeSpan.FromSeconds(30));
        var workflow = await platform.Traces.WaitForSpanAsync(s => s.TraceId == traceId && s.Name == "workflow command", TimeSpan.FromSeconds(30));
        var step = await platform.Traces.WaitForSpanAsync(s => s.TraceId == traceId && s.Name == "step answer", TimeSpan.FromSeconds(30));
        var gitHubCall = await platform.Traces.WaitForSpanAsync(
            s => s.TraceId == traceId && s.Service == "workers" && s.Kind == SfpPlatform.Tests.Otlp.Span.Types.SpanKind.Client,
            TimeSpan.FromSeconds(30));

        Assert.Equal("workers", workflow.Service);
        Assert.Equal(workflow.SpanId, step.ParentSpanId);
        Assert.NotEqual(edge.SpanId, workflow.SpanId);
    }

    [Fact]
    public async Task AFailedRun_OfATraceOutsideTheSampleRatio_ReachesTheCollectorWhole()
    {
        var (hook, payload) = await HelpCommandAsync("failing", pullRequest: 3);
        // No commenter: the command step refuses the event at once (not retried), so the run fails.
        payload.AsObject().Remove("sender");
        var traceParent = TraceParents.OutsideRatio();

        var delivered = await _webhooks.SendGitHubAsync(hook, "issue_comment", Encoding.UTF8.GetBytes(payload.ToJsonString()),
            adjust: request => request.Headers.Add("traceparent", traceParent));
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        var runId = Guid.Parse(delivered.Text("runId")!);
        Assert.StartsWith("failed", await _webhooks.WaitForRunAsync(runId), StringComparison.Ordinal);
        var traceId = TraceParents.TraceId(traceParent);
        Assert.Equal(traceId, TraceParents.TraceId(await _webhooks.ScalarAsync<string>("SELECT trace_parent FROM workflow_runs WHERE id = $1", runId)));

        // The Workers' part of the trace arrives whole: the failed step and the run's span, which did not fail itself
        // and ended after the step — it is exported only because its trace failed.
        var step = await platform.Traces.WaitForSpanAsync(s => s.TraceId == traceId && s.Name == "step answer", TimeSpan.FromSeconds(30));
        var workflow = await platform.Traces.WaitForSpanAsync(s => s.TraceId == traceId && s.Name == "workflow command", TimeSpan.FromSeconds(30));
        Assert.Equal("workers", workflow.Service);
        Assert.Equal(workflow.SpanId, step.ParentSpanId);

        // The delivery itself succeeded (200) in a trace outside the ratio: the edge and the Api exported none of it,
        // so the stack runs at its default ratio, not at 1.
        Assert.DoesNotContain(platform.Traces.Spans, s => s.TraceId == traceId && s.Service is "edge" or "api");
    }

    /// <summary>A project with an installed GitHub App and its webhook, and a <c>/sfp help</c> comment on a pull request of its own repository.</summary>
    private async Task<(WebhookTestClient.GitHubHook Hook, JsonNode Payload)> HelpCommandAsync(string repositoryName, int pullRequest)
    {
        var project = "trace-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/{repositoryName}";
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        await _webhooks.RegisterGitHubAppAsync(project);
        var hook = await _webhooks.RegisterGitHubAsync(project);
        var payload = JsonNode.Parse(await File.ReadAllBytesAsync(
            Path.Combine(RepositoryPaths.TestData, "github-webhooks", "issue_comment", "created.payload.json"), Cancellation))!;
        payload["comment"]!["body"] = "/sfp help";
        payload["repository"]!["full_name"] = repository;
        payload["issue"]!["pull_request"] = new JsonObject { ["url"] = $"https://api.github.com/repos/{repository}/pulls/{pullRequest}" };
        return (hook, payload);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Contracts.Health;
using SfpPlatform.Core.Health;
using SfpPlatform.Topology;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Reliability;

/// <summary>
/// Services of the real stack stopped under load, with counts: every worker down for 30 s while deliveries keep
/// arriving (the backlog drains, each run executed once, and the Api reports no live worker meanwhile); the Api down behind the edge (503 with the maintenance
/// page, no 200 without storage, resent deliveries stored once).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ServiceOutageTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Fact]
    public async Task AllWorkersDownFor30Seconds_DeliveriesKeepArriving_BacklogDrainsWithEachRunExecutedOnce()
    {
        var project = "down-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/backlog";
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        await _webhooks.RegisterGitHubAppAsync(project);
        var hook = await _webhooks.RegisterGitHubAsync(project);
        var template = JsonNode.Parse(await File.ReadAllBytesAsync(
            Path.Combine(RepositoryPaths.TestData, "github-webhooks", "issue_comment", "created.payload.json"), Cancellation))!;

        await platform.App.StopAsync(ServiceNames.Workers);
        var runs = new List<(int PullRequest, Guid Run)>();
        long queued;
        WorkersHealth down;
        try
        {
            var started = DateTime.UtcNow;
            var number = 1000;
            while (DateTime.UtcNow - started < TimeSpan.FromSeconds(30))
            {
                // One /sfp help comment on a pull request of its own: its run answers exactly one comment there.
                number++;
                var payload = template.DeepClone();
                payload["comment"]!["body"] = "/sfp help";
                payload["repository"]!["full_name"] = repository;
                payload["issue"]!["number"] = number;
                payload["issue"]!["pull_request"] = new JsonObject { ["url"] = $"https://api.github.com/repos/{repository}/pulls/{number}" };
                var delivered = await _webhooks.SendGitHubAsync(hook, "issue_comment", Encoding.UTF8.GetBytes(payload.ToJsonString()));
                Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
                runs.Add((number, Guid.Parse(delivered.Text("runId")!)));
                await Task.Delay(500, Cancellation);
            }

            // Nothing ran while the workers were down; every delivery is stored with its queued run.
            queued = await _webhooks.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE project_key = $1 AND status = 'queued'", project);
            Assert.Equal(runs.Count, queued);

            // The Overview's account of it: no live worker heartbeat (a stopped worker removes its row, a killed one
            // falls silent), and the backlog in the queue.
            down = await WorkersHealthAsync(h => h.Status == WorkersHealthAssessment.Unhealthy, TimeSpan.FromSeconds(45));
            Assert.DoesNotContain(down.Workers, w => w.Alive);
            Assert.StartsWith("No worker heartbeat", down.Summary, StringComparison.Ordinal);
            Assert.True(down.Queue.Queued >= queued, $"queue {down.Queue.Queued}, backlog {queued}");
        }
        finally
        {
            await platform.App.StartAsync(ServiceNames.Workers);
        }

        var back = await WorkersHealthAsync(h => h.Workers.Any(w => w.Alive), TimeSpan.FromSeconds(30));

        foreach (var (_, run) in runs)
        {
            Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(run, TimeSpan.FromMinutes(2)));
        }

        foreach (var (pullRequest, run) in runs)
        {
            Assert.Single(platform.GitHub.Calls, c => c.Method == "POST" && c.Path == $"{repository}/issues/{pullRequest}/comments");
            Assert.Equal(1L, await _webhooks.ScalarAsync<long>("SELECT count(*) FROM workflow_step_runs WHERE run_id = $1 AND status = 'succeeded'", run));
        }

        ReliabilityReport.Record(ReliabilityReport.Faults, "All workers down for 30 s while deliveries arrive",
            ("sent", runs.Count), ("acknowledged 200", runs.Count), ("stored", runs.Count), ("queued while down", queued),
            ("runs executed once", runs.Count), ("lost", 0), ("doubled", 0));

        ReliabilityReport.Record(ReliabilityReport.Faults, ReliabilityReport.WorkerHealth,
            ("all workers down: reported without a live heartbeat", 1), ("backlog reported while down", down.Queue.Queued),
            ("heartbeat back after restart", back.Workers.Count(w => w.Alive)));
    }

    /// <summary>The Api's workers health once <paramref name="until"/> holds (the last answer fails the test if it never does).</summary>
    private async Task<WorkersHealth> WorkersHealthAsync(Func<WorkersHealth, bool> until, TimeSpan timeout)
    {
        using var member = await platform.ClientAsync(Caller.Member);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var health = (await member.GetFromJsonAsync<WorkersHealth>("/sfp/api/health/workers", Cancellation))!;
            if (until(health))
            {
                return health;
            }

            Assert.True(DateTime.UtcNow < deadline, $"workers health still {health.Status}: {health.Summary}");
            await Task.Delay(1000, Cancellation);
        }
    }

    [Fact]
    public async Task ApiRestartedBehindTheEdge_AnswersTheMaintenancePage_AndNo200WithoutStorage()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var body = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json"), Cancellation);
        var outcomes = new ConcurrentDictionary<string, WebhookTestClient.Response>();

        await platform.App.StopAsync(ServiceNames.Api);
        try
        {
            await WaitForMaintenanceAsync();
            for (var i = 0; i < 20; i++)
            {
                var id = Guid.NewGuid().ToString();
                outcomes[id] = await _webhooks.SendGitHubAsync(hook, "pull_request", body, id);
            }

            using (var edge = platform.CreateEdgeClient())
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/sfp/");
                request.Headers.Accept.ParseAdd("text/html");
                using var page = await edge.SendAsync(request, Cancellation);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
                Assert.Equal(SfpPlatform.Topology.Rendering.MaintenancePage.Html(PlatformTopology.Default), await page.Content.ReadAsStringAsync(Cancellation));
            }

            Assert.All(outcomes.Values, o => Assert.Equal(HttpStatusCode.ServiceUnavailable, o.Status));
            Assert.All(outcomes.Values, o => Assert.Equal(SfpPlatform.Topology.Rendering.MaintenancePage.ProblemJson(PlatformTopology.Default), o.Body));
            Assert.All(outcomes.Values, o => Assert.NotNull(o.Headers.RetryAfter));
        }
        finally
        {
            await platform.App.StartAsync(ServiceNames.Api);
        }

        // Nothing was stored during the gap; each delivery, sent again as GitHub redelivers, is stored and run once.
        foreach (var id in outcomes.Keys)
        {
            Assert.Equal(0, await _webhooks.DeliveriesAsync("github", id));
        }

        foreach (var id in outcomes.Keys)
        {
            WebhookTestClient.Response resent;
            var attempts = 0;
            do
            {
                resent = await _webhooks.SendGitHubAsync(hook, "pull_request", body, id);
            }
            while (resent.Status == HttpStatusCode.ServiceUnavailable && ++attempts < 120 && await DelayAsync());

            Assert.True(resent.Status == HttpStatusCode.OK, resent.Body);
            Assert.Equal(1, await _webhooks.DeliveriesAsync("github", id));
            Assert.Equal(1, await _webhooks.RunsForAsync("github", id));
        }

        ReliabilityReport.Record(ReliabilityReport.Faults, "The Api restarted behind the edge",
            ("sent during the gap", outcomes.Count), ("503 maintenance", outcomes.Count), ("200 during the gap", 0),
            ("stored during the gap", 0), ("resent and stored once", outcomes.Count), ("runs, one each", outcomes.Count));
    }

    /// <summary>The edge notices the stopped Api by its failed probes: wait until it answers with the maintenance page.</summary>
    private async Task WaitForMaintenanceAsync()
    {
        using var edge = new HttpClient { BaseAddress = platform.EdgeUri, Timeout = TimeSpan.FromSeconds(3) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                using var probe = await edge.GetAsync("/sfp/api/health", Cancellation);
                if (probe.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    return;
                }
            }
            catch (TaskCanceledException) when (!Cancellation.IsCancellationRequested)
            {
                // The request reached a stopped Api before the edge took it out.
            }

            Assert.True(DateTime.UtcNow < deadline, "the edge never answered 503 for the stopped Api");
            await Task.Delay(500, Cancellation);
        }
    }

    private static async Task<bool> DelayAsync()
    {
        await Task.Delay(500, Cancellation);
        return true;
    }
}

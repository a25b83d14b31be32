using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Contracts.Schedules;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Workflows.Schedules;

/// <summary>
/// Schedules on the running stack: the Workers register a schedule per platform sweep, the Api lists them and refuses
/// a bad cron naming the field, and the lease-expiry sweep (run as a scheduled run of platform-sweep) releases an
/// expired review-environment lease and tells its pull request through the GitHub stand-in.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SchedulesTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Fact]
    public async Task Api_ListsTheSweeps_CreatesPausesAndDeletes_AndRefusesABadCronByField()
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var schedules = await ContractJson.SendAsync<List<ScheduleSummary>>(owner, HttpMethod.Get, "/sfp/api/schedules");
        foreach (var sweep in new[] { "lease-expiry", "retention" })
        {
            var schedule = Assert.Single(schedules, s => s.Name == sweep);
            Assert.Equal(("platform-sweep", ScheduleOwners.Platform), (schedule.Workflow, schedule.Owner));
            Assert.NotNull(schedule.Cron);
            Assert.True(schedule.NextRunAt > DateTimeOffset.UtcNow.AddMinutes(-1), $"{sweep} next runs at {schedule.NextRunAt:O}");
        }

        var name = "nightly-" + Guid.NewGuid().ToString("n")[..8];
        var bad = await owner.PostAsJsonAsync("/sfp/api/schedules", new { name, workflow = "build", projectKey = "acme", cron = "0 24 * * *" }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await bad.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal(["cron"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("hour: '24': 24 is out of range 0-23", problem["errors"]!["cron"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        // What Cronos reads but Hatchet's cron parser refuses (Sunday as 7) is refused here, not later by Hatchet.
        var sunday = await owner.PostAsJsonAsync("/sfp/api/schedules", new { name, workflow = "build", projectKey = "acme", cron = "0 3 * * 7" }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, sunday.StatusCode);
        var sundayProblem = JsonNode.Parse(await sunday.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal(["cron"], sundayProblem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("day of week: '7': 7 is out of range 0-6", sundayProblem["errors"]!["cron"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var internalWorkflow = await owner.PostAsJsonAsync("/sfp/api/schedules", new { name, workflow = "platform-sweep", projectKey = "acme", cron = "0 3 * * *" }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, internalWorkflow.StatusCode);
        Assert.Contains("\"workflow\"", await internalWorkflow.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);

        var created = await ContractJson.SendAsync<ScheduleSummary>(owner, HttpMethod.Post, "/sfp/api/schedules",
            new { name, workflow = "build", projectKey = "acme", cron = "0 3 * * *" }, HttpStatusCode.Created);
        Assert.Equal(("build", "0 3 * * *", ScheduleOwners.User, false), (created.Workflow, created.Cron, created.Owner, created.Paused));
        Assert.Equal(DateTimeOffset.UtcNow.AddHours(DateTimeOffset.UtcNow.Hour >= 3 ? 24 : 0).Date.AddHours(3), created.NextRunAt!.Value.UtcDateTime);
        var duplicate = await owner.PostAsJsonAsync("/sfp/api/schedules", new { name, workflow = "build", projectKey = "acme", at = DateTimeOffset.UtcNow.AddHours(1) }, Cancellation);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        using var member = await platform.ClientAsync(Caller.Member);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync($"/sfp/api/schedules/{name}/pause", null, Cancellation)).StatusCode);
        Assert.True((await ContractJson.SendAsync<ScheduleSummary>(owner, HttpMethod.Post, $"/sfp/api/schedules/{name}/pause")).Paused);
        Assert.False((await ContractJson.SendAsync<ScheduleSummary>(owner, HttpMethod.Post, $"/sfp/api/schedules/{name}/resume")).Paused);
        Assert.Equal(HttpStatusCode.Conflict, (await owner.DeleteAsync("/sfp/api/schedules/retention", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/sfp/api/schedules/{name}", Cancellation)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/sfp/api/schedules/{name}", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task LeaseExpirySweep_ReleasesAnExpiredLease_AndTellsThePullRequest_InAScheduledRun()
    {
        const string project = "sweeps";
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/expiring";
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        await _webhooks.RegisterGitHubAppAsync(project);

        // A lease that expired a minute ago, held by the pull request of the run that leased it.
        var input = JsonSerializer.Serialize(new RunInput(null, new ProviderEvent
        {
            Provider = "github",
            Name = "pull_request",
            Action = "opened",
            Repository = new EventRepository(repository, null, null, "main"),
            PullRequest = new EventPullRequest(7, "feature", "abc123", "main", false, false, "A change"),
        }, project), RunInput.JsonOptions);
        var runId = Guid.CreateVersion7();
        var pool = "pool-" + Guid.NewGuid().ToString("n")[..8];
        await _webhooks.ScalarAsync<object?>("""
            INSERT INTO workflow_runs (id, workflow, status, input, project_key, created_at, updated_at, next_attempt_at, attempt, cancel_requested, finished_at)
            VALUES ($1, 'review-env', 'succeeded', CAST($2 AS jsonb), $3, now(), now(), now(), 1, false, now())
            """, runId, input, project);
        await _webhooks.ScalarAsync<object?>("""
            INSERT INTO review_environment_leases (pool, org, provider, repository, pull_request, project_key, run_id, leased_at, expires_at)
            VALUES ($1, 'review-9', 'github', $2, 7, $3, $4, now() - interval '1 day', now() - interval '1 minute')
            """, pool, repository, project, runId);

        // Due now: the Workers' scheduler (ticking every second in the tests) starts a platform-sweep run for it.
        var since = await _webhooks.ScalarAsync<DateTime>("SELECT clock_timestamp()");
        await _webhooks.ScalarAsync<object?>("UPDATE workflow_schedules SET next_run_at = now(), paused = false WHERE name = 'lease-expiry'");
        var sweepRun = await WaitForAsync(() => _webhooks.ScalarAsync<Guid?>(
            "SELECT id FROM workflow_runs WHERE workflow = 'platform-sweep' AND input->>'sweep' = 'lease-expiry' AND created_at >= $1 ORDER BY created_at LIMIT 1", since));
        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(sweepRun, TimeSpan.FromMinutes(1)));

        Assert.True(await _webhooks.ScalarAsync<bool>(
            "SELECT released_at = expires_at AND expiry_reported_at IS NOT NULL FROM review_environment_leases WHERE pool = $1", pool));
        var comment = Assert.Single(platform.GitHub.Calls, c => c.Method == "POST" && c.Path == $"{repository}/issues/7/comments");
        Assert.Contains("The lease of review environment `review-9` expired at", JsonNode.Parse(comment.Body)!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(await _webhooks.RunLogAsync(sweepRun), l => l.StartsWith("lease-expiry: ", StringComparison.Ordinal) && l.Contains("pull request(s) told", StringComparison.Ordinal));

        // The run is listed as started by a schedule; the schedule shows it as its last run.
        using var owner = await platform.ClientAsync(Caller.Owner);
        var runs = await ContractJson.SendAsync<PaginatedItems<RunSummary>>(owner, HttpMethod.Get, "/sfp/api/runs?workflow=platform-sweep&pageSize=200");
        Assert.Equal(TriggerKinds.Schedule, Assert.Single(runs.Data, r => r.Id == sweepRun).Trigger);
        var schedules = await ContractJson.SendAsync<List<ScheduleSummary>>(owner, HttpMethod.Get, "/sfp/api/schedules");
        // (Compared with the tick it ran, not the clock: at a cron boundary the next occurrence is due again for up to a
        // scheduler tick before it fires and moves on.)
        var leaseExpiry = schedules.Single(s => s.Name == "lease-expiry");
        Assert.True(leaseExpiry.NextRunAt > leaseExpiry.LastTickAt && leaseExpiry.LastTickAt >= since,
            $"the schedule moved on to its next occurrence: next {leaseExpiry.NextRunAt:O}, last tick {leaseExpiry.LastTickAt:O}");

        // A second pass tells nobody again.
        since = await _webhooks.ScalarAsync<DateTime>("SELECT clock_timestamp()");
        await _webhooks.ScalarAsync<object?>("UPDATE workflow_schedules SET next_run_at = now() WHERE name = 'lease-expiry'");
        var second = await WaitForAsync(() => _webhooks.ScalarAsync<Guid?>(
            "SELECT id FROM workflow_runs WHERE workflow = 'platform-sweep' AND input->>'sweep' = 'lease-expiry' AND created_at >= $1 ORDER BY created_at LIMIT 1", since));
        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(second, TimeSpan.FromMinutes(1)));
        Assert.Single(platform.GitHub.Calls, c => c.Method == "POST" && c.Path == $"{repository}/issues/7/comments");
        ReliabilityReport.Record(ReliabilityReport.Faults, "Expired review-environment leases",
            ("expired leases released", 1), ("pull request comments", 1), ("comments from a second pass", 0));
    }

    private async Task<Guid> WaitForAsync(Func<Task<Guid?>> find)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await find() is { } id)
            {
                return id;
            }

            await Task.Delay(200, Cancellation);
        }

        var scheduler = platform.Logs.Where(l => l.Contains("chedul", StringComparison.Ordinal) || l.Contains("sweep", StringComparison.Ordinal)).TakeLast(30);
        throw new TimeoutException($"The scheduler started no run within 30 s. Its log:\n{string.Join('\n', scheduler)}");
    }
}

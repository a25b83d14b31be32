using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Releases;

/// <summary>
/// Environments end to end through the edge, with the GitHub and Salesforce stand-ins, the real Verdaccio and the real
/// sfp CLI up to the org (the stand-in for <c>sfp release</c>'s install is the pinned sfp's own flag parsing, auth-store
/// lookup, release-definition loader and npm fetcher, and records each call): a push to <c>main</c> builds, makes a
/// release and deploys it to <c>uat</c> with no approval; a promotion to <c>prod</c> waits, parked, for an approval
/// (the requester's own is refused); a second deployment queues behind the first and runs after it; a rejection ends
/// a deployment without touching the org; the Workers stopped while a deployment waits lose nothing.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EnvironmentDeliveryTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Slow = EnvironmentScenario.Slow;

    private readonly EnvironmentScenario _scenario = new(platform);

    [Fact]
    public async Task PushToMain_DeploysToUat_PromotionToProd_WaitsForAnApproval_QueuesASecond_AndRunsItAfter()
    {
        var setup = await _scenario.SetUpAsync(prodApprovers: ["bob"]);

        // push to main → build → release → deployed to uat (no approval).
        var uat = await _scenario.WaitForDeploymentAsync(setup.Project, "uat", "succeeded", Slow);
        Assert.Equal("build", uat["requestedVia"]!.GetValue<string>());
        var uatCalls = _scenario.Calls(setup.Project, "uat");
        var uatCall = Assert.Single(uatCalls);
        Assert.Equal("uat", uatCall["targetorg"]!.GetValue<string>());
        Assert.Equal([$"Core@1.2.0-1"], uatCall["artifacts"]!.AsArray().Select(a => a!.GetValue<string>()));
        var release = uat["release"]!.GetValue<string>();
        Assert.Equal("main-1", release);
        var log = await _webhooks.RunLogAsync(Guid.Parse(uat["runId"]!.GetValue<string>()));
        Assert.Contains(log, l => l.StartsWith("$ sfp release -p /", StringComparison.Ordinal) && l.Contains($"/releasedefinition.yml -o uat --npm --scope {setup.Project} --npmrcpath /", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("$ sfp org login url -f ", StringComparison.Ordinal) && l.EndsWith(" -a uat", StringComparison.Ordinal));
        Assert.Equal(["queued", "in_progress", "success"], Assert.Single(_scenario.DeploymentStates(setup.Repository, "uat")));

        // The release is kept as the definition sfp reads.
        using var member = await _webhooks.ClientAsync("member");
        var kept = await member.GetFromJsonAsync<JsonObject>($"/sfp/api/projects/{setup.Project}/releases/{release}", Cancellation);
        Assert.Equal("release: \"main-1\"\nskipIfAlreadyInstalled: true\nartifacts:\n  \"Core\": \"1.2.0-1\"\n", kept!["definition"]!.GetValue<string>());

        // /sfp deploy prod on a merged pull request: it takes prod's lock and waits (parked) for an approval.
        platform.GitHub.MergedPullRequests[$"{setup.Repository}#7"] = true;
        var reply = await _scenario.CommentAsync(setup, "alice", "/sfp deploy prod");
        Assert.Contains("deploying main-1 to prod", reply, StringComparison.Ordinal);
        var first = await _scenario.WaitForDeploymentAsync(setup.Project, "prod", "awaiting-approval", TimeSpan.FromMinutes(2));
        var firstRun = Guid.Parse(first["runId"]!.GetValue<string>());
        await _scenario.WaitForRunStatusAsync(firstRun, "waiting");
        Assert.Equal(1, first["position"]!.GetValue<int>());
        Assert.Equal("alice", first["requestedBy"]!.GetValue<string>());

        // The requester cannot approve it.
        reply = await _scenario.CommentAsync(setup, "alice", "/sfp approve");
        Assert.Contains("approve refused: alice requested this deployment and cannot approve it", reply, StringComparison.Ordinal);
        Assert.Equal("awaiting-approval", (await _scenario.DeploymentAsync(first))["status"]!.GetValue<string>());

        // Nor can someone who is not among prod's approvers (through the Api).
        using var carol = await _webhooks.UserAsync("carol", "owner");
        using var refused = await carol.PostAsJsonAsync($"/sfp/api/deployments/{first["id"]}/approve", new { }, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // A second deployment to prod (through the Api) queues behind the first.
        using var dave = await _webhooks.UserAsync("dave", "owner");
        using var queued = await dave.PostAsJsonAsync($"/sfp/api/projects/{setup.Project}/environments/prod/deployments", new { }, Cancellation);
        Assert.True(queued.StatusCode == HttpStatusCode.Accepted, await queued.Content.ReadAsStringAsync(Cancellation));
        var second = (await queued.Content.ReadFromJsonAsync<JsonObject>(Cancellation))!;
        // Parked with a timer (the holder's lock timeout), not polling: its attempt ended waiting, the run is due again only then.
        var secondRun = Guid.Parse(second["runId"]!.GetValue<string>());
        await _scenario.WaitForParkedAsync(secondRun);
        Assert.True(await _webhooks.ScalarAsync<bool>("SELECT status = 'queued' AND next_attempt_at > now() + interval '50 minutes' FROM workflow_runs WHERE id = $1", secondRun));
        var environment = await member.GetFromJsonAsync<JsonObject>($"/sfp/api/projects/{setup.Project}/environments/prod", Cancellation);
        Assert.Equal([first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>()],
            environment!["queue"]!.AsArray().Select(q => q!["id"]!.GetValue<string>()));
        Assert.Equal(["alice", "dave"], environment["queue"]!.AsArray().Select(q => q!["requestedBy"]!.GetValue<string>()));
        Assert.Equal("queued", (await _scenario.DeploymentAsync(second))["status"]!.GetValue<string>());
        Assert.Empty(_scenario.Calls(setup.Project, "prod"));

        // An approval from an allowed user starts the first; the second then takes the lock and waits for its own.
        reply = await _scenario.CommentAsync(setup, "bob", "/sfp approve");
        Assert.Contains("approved (1 of 1): deploying main-1 to prod", reply, StringComparison.Ordinal);
        var done = await _scenario.WaitForDeploymentAsync(first, "succeeded", Slow);
        Assert.Equal(["bob"], done["approvers"]!.AsArray().Select(a => a!.GetValue<string>()));
        await _scenario.WaitForDeploymentAsync(second, "awaiting-approval", TimeSpan.FromMinutes(2));
        Assert.Single(_scenario.Calls(setup.Project, "prod"));

        using var bob = await _webhooks.UserAsync("bob", "member");
        using var approved = await bob.PostAsJsonAsync($"/sfp/api/deployments/{second["id"]}/approve", new { reason = "ship it" }, Cancellation);
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync(Cancellation));
        var secondDone = await _scenario.WaitForDeploymentAsync(second, "succeeded", Slow);
        Assert.Equal(2, _scenario.Calls(setup.Project, "prod").Count);
        Assert.True(secondDone["startedAt"]!.GetValue<DateTimeOffset>() >= done["finishedAt"]!.GetValue<DateTimeOffset>());

        // What is where, and the record of who did what.
        var diff = await member.GetFromJsonAsync<JsonObject>($"/sfp/api/projects/{setup.Project}/diff?from=uat&to=prod", Cancellation);
        Assert.Equal("main-1", diff!["toRelease"]!.GetValue<string>());
        Assert.All(diff["packages"]!.AsArray(), p => Assert.False(p!["differs"]!.GetValue<bool>()));
        var events = (await member.GetFromJsonAsync<JsonArray>($"/sfp/api/projects/{setup.Project}/deployment-events?environment=prod", Cancellation))!
            .Select(e => $"{e!["kind"]} {e["actor"]}").Reverse().ToList();
        Assert.Equal(["requested alice", "refused alice", "refused carol", "requested dave", "approved bob", "deployed alice", "approved bob", "deployed dave"], events);
        var prodStates = _scenario.DeploymentStates(setup.Repository, "prod");
        Assert.Equal(2, prodStates.Count);
        Assert.All(prodStates, states => Assert.Equal(["queued", "pending", "in_progress", "success"], states));
        Assert.Contains(platform.GitHub.Calls, c => c.Method == "POST" && c.Path == $"{setup.Repository}/issues/7/comments"
            && c.Body.Contains("deployed main-1 to prod", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rejection_EndsTheDeployment_WithoutTouchingTheOrg_AndAStoppedWorkerLosesNothing()
    {
        var setup = await _scenario.SetUpAsync(prodApprovers: ["role:maintain", "bob"]);
        await _scenario.WaitForDeploymentAsync(setup.Project, "uat", "succeeded", Slow);
        using var owner = await _webhooks.UserAsync("erin", "owner");

        // A rejection: the run ends, the org is never called.
        using var rejectedRequest = await owner.PostAsJsonAsync($"/sfp/api/projects/{setup.Project}/environments/prod/deployments", new { }, Cancellation);
        var rejected = (await rejectedRequest.Content.ReadFromJsonAsync<JsonObject>(Cancellation))!;
        await _scenario.WaitForDeploymentAsync(rejected, "awaiting-approval", TimeSpan.FromMinutes(2));
        var reply = await _scenario.CommentAsync(setup, "bob", "/sfp reject not this week");
        Assert.Contains("rejected the deployment of main-1 to prod", reply, StringComparison.Ordinal);
        var ended = await _scenario.WaitForDeploymentAsync(rejected, "rejected", TimeSpan.FromMinutes(2));
        Assert.Equal("rejected by bob: not this week", ended["error"]!.GetValue<string>());
        Assert.StartsWith("failed", await _webhooks.WaitForRunAsync(Guid.Parse(rejected["runId"]!.GetValue<string>())), StringComparison.Ordinal);
        Assert.Empty(_scenario.Calls(setup.Project, "prod"));
        Assert.Equal(["queued", "pending", "failure"], Assert.Single(_scenario.DeploymentStates(setup.Repository, "prod")));

        // A deployment parked for approval survives the Workers stopping; an approval while they are down starts it
        // once they are back.
        using var waitingRequest = await owner.PostAsJsonAsync($"/sfp/api/projects/{setup.Project}/environments/prod/deployments", new { }, Cancellation);
        var waiting = (await waitingRequest.Content.ReadFromJsonAsync<JsonObject>(Cancellation))!;
        var run = Guid.Parse(waiting["runId"]!.GetValue<string>());
        await _scenario.WaitForDeploymentAsync(waiting, "awaiting-approval", TimeSpan.FromMinutes(2));
        await _scenario.WaitForRunStatusAsync(run, "waiting");
        await platform.App.StopAsync(global::SfpPlatform.Topology.ServiceNames.Workers);
        try
        {
            using var bob = await _webhooks.UserAsync("bob", "member");
            using var approved = await bob.PostAsJsonAsync($"/sfp/api/deployments/{waiting["id"]}/approve", new { }, Cancellation);
            Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync(Cancellation));
            Assert.Equal("queued", await _webhooks.ScalarAsync<string>("SELECT status FROM workflow_runs WHERE id = $1", run));
        }
        finally
        {
            await platform.App.StartAsync(global::SfpPlatform.Topology.ServiceNames.Workers);
        }

        await _scenario.WaitForDeploymentAsync(waiting, "succeeded", Slow);
        Assert.Single(_scenario.Calls(setup.Project, "prod"));
        // The deployment is marked by the step itself; the step's and the run's ends are recorded after it returns.
        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(run));
        // The parked attempt is not counted: one waiting attempt, then the one that deployed.
        Assert.Equal(["waiting", "succeeded"], (await _webhooks.ScalarAsync<string>(
            "SELECT string_agg(status, ',' ORDER BY id) FROM workflow_step_runs WHERE run_id = $1", run)).Split(','));
    }

    [Fact]
    public async Task EnvironmentsAndReleases_AreValidatedFieldByField()
    {
        var project = "envv-" + Guid.NewGuid().ToString("n")[..8];
        using var owner = await _webhooks.OwnerAsync();
        using var bad = await owner.PutAsJsonAsync($"/sfp/api/projects/{project}/environments/Prod!", new
        {
            salesforceIntegration = "nope", requiredApprovals = 11, lockTimeoutMinutes = 0, approvers = new[] { "role:" }, branch = "main", allowedBranches = new[] { "release/1" },
        }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>(Cancellation))!["errors"]!.AsObject();
        Assert.Equal(["approvers", "branch", "lockTimeoutMinutes", "name", "requiredApprovals", "salesforceIntegration"], errors.Select(e => e.Key).Order());

        using var member = await _webhooks.ClientAsync("member");
        using var forbidden = await member.PutAsJsonAsync($"/sfp/api/projects/{project}/environments/uat", new { salesforceIntegration = "x" }, Cancellation);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var missing = await owner.PostAsJsonAsync($"/sfp/api/projects/{project}/releases", new
        {
            name = "r1", artifacts = new[] { new { package = "core", version = "9.9.9-1" } },
        }, Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var releaseErrors = (await missing.Content.ReadFromJsonAsync<JsonObject>(Cancellation))!["errors"]!.AsObject();
        Assert.Contains($"The registry has no @{project}/core_sfpowerscripts_artifact", releaseErrors["artifacts[0].version"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

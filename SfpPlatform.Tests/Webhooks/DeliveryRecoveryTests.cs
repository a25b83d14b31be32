using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Aspire.Hosting;
using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Webhooks;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology;

namespace SfpPlatform.Tests.Webhooks;

/// <summary>
/// GitHub never redelivers by itself. Deliveries GitHub (the stand-in) sent while the database was down were answered
/// 503; once Postgres is back the Api runs a recovery pass on its own, which lists the App's deliveries through GitHub's
/// API and asks for the failed ones again: each comes back with its original <c>X-GitHub-Delivery</c>, is stored once,
/// marked recovered and run once. A second pass asks nothing; a delivery older than GitHub's 3-day window is not asked.
/// Repository and organisation hooks are recovered the same way with the project's token; a token GitHub refuses fails
/// only its hook.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DeliveryRecoveryTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Fact]
    public async Task DeliveriesRefusedDuringAnOutage_ComeBackRecovered_AndEachRunsOnce()
    {
        var github = platform.GitHub;
        var hook = await _webhooks.RegisterGitHubAsync();
        await _webhooks.RegisterGitHubAppAsync("recovery-" + Guid.NewGuid().ToString("n")[..8]);
        github.AppHook = new GitHubStandInHook(new Uri(platform.EdgeUri, WebhookTestClient.GitHubPath), hook.Secret, hook.TargetId,
            HookId: RandomNumberGenerator.GetInt32(1_000_000, int.MaxValue));
        var body = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json"), Cancellation);

        // As GitHub: the App's deliveries are the App's business (its JWT), nobody else's.
        using (var anonymous = new HttpClient())
        {
            using var refused = await anonymous.GetAsync(new Uri(github.BaseUrl, "api/v3/app/hook/deliveries"), Cancellation);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var delivered = new List<GitHubStandInDelivery>();
        for (var i = 0; i < 2; i++)
        {
            delivered.Add(await github.DeliverAsync("pull_request", body, cancellationToken: Cancellation));
        }

        Assert.All(delivered, d => Assert.Equal(200, d.StatusCode));
        var askedBefore = github.RedeliveryRequests.Count;

        GitHubStandInDelivery old;
        var refusedDeliveries = new List<GitHubStandInDelivery>();
        await platform.App.StopAsync(ServiceNames.Postgres);
        try
        {
            // One GitHub made four days ago (the first, as GitHub's ids grow with time), then three now.
            old = await github.DeliverAsync("pull_request", body, DateTimeOffset.UtcNow - TimeSpan.FromDays(4), Cancellation);
            for (var i = 0; i < 3; i++)
            {
                refusedDeliveries.Add(await github.DeliverAsync("pull_request", body, cancellationToken: Cancellation));
            }
        }
        finally
        {
            await platform.App.ResourceCommands.ExecuteCommandAsync(ServiceNames.Postgres, "resource-start", Cancellation);
        }

        Assert.All(refusedDeliveries.Append(old), d => Assert.Equal(503, d.StatusCode));
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(ServiceNames.Postgres, Cancellation).WaitAsync(TimeSpan.FromMinutes(2), Cancellation);
        Npgsql.NpgsqlConnection.ClearAllPools();

        // Nobody asks: the Api remembered its 503s and recovers them once the database answers.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        foreach (var refused in refusedDeliveries)
        {
            while (await _webhooks.DeliveriesAsync("github", refused.Guid) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Delivery {refused.Guid} was not recovered within 90 s.");
                await Task.Delay(250, Cancellation);
            }
        }

        await github.RedeliveriesSentAsync();
        foreach (var refused in refusedDeliveries)
        {
            Assert.Equal(1, await _webhooks.DeliveriesAsync("github", refused.Guid));
            Assert.Equal(1, await _webhooks.RunsForAsync("github", refused.Guid));
            Assert.True(await RecoveredAsync(refused.Guid));
            // Asked once; GitHub's redelivery (a new attempt, same guid) got 200.
            Assert.Single(github.RedeliveryRequests, id => id == refused.Id);
            Assert.Single(github.HookDeliveries, d => d.Guid == refused.Guid && d.Redelivery && d.StatusCode == 200);
        }

        foreach (var first in delivered)
        {
            Assert.Equal(1, await _webhooks.DeliveriesAsync("github", first.Guid));
            Assert.False(await RecoveredAsync(first.Guid));
            Assert.DoesNotContain(first.Id, github.RedeliveryRequests);
        }

        // Outside GitHub's window: never asked (the stand-in would have refused it with 422), so never stored.
        Assert.DoesNotContain(old.Id, github.RedeliveryRequests);
        Assert.Equal(0, github.RefusedRedeliveries);
        Assert.Equal(0, await _webhooks.DeliveriesAsync("github", old.Guid));
        Assert.Equal(askedBefore + refusedDeliveries.Count, github.RedeliveryRequests.Count);

        // A second pass (the owners' endpoint) finds nothing to ask.
        using var owner = await platform.ClientAsync(Caller.Owner);
        // Right after the database's restart the Api may still hold a pooled connection the restart broke: that request
        // answers 503 with Retry-After, as any would; the owner asks again.
        var retryUntil = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var again = await owner.PostAsync("/sfp/api/webhooks/deliveries/recover", null, Cancellation);
        while (again.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < retryUntil)
        {
            Assert.NotNull(again.Headers.RetryAfter);
            again.Dispose();
            await Task.Delay(1000, Cancellation);
            again = await owner.PostAsync("/sfp/api/webhooks/deliveries/recover", null, Cancellation);
        }

        using var _ = again;
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var report = (await again.Content.ReadFromJsonAsync<DeliveryRecoveryReport>(Cancellation))!;
        Assert.Equal(0, report.Requested);
        Assert.True(report.Hooks >= 1, report.Summary);
        Assert.Equal(askedBefore + refusedDeliveries.Count, github.RedeliveryRequests.Count);

        // The delivery log filters on it.
        var recoveredPage = (await owner.GetFromJsonAsync<PaginatedItems<DeliverySummary>>(
            "/sfp/api/webhooks/deliveries?provider=github&recovered=true&pageSize=200", Cancellation))!;
        Assert.All(recoveredPage.Data, d => Assert.True(d.Recovered));
        Assert.Superset(refusedDeliveries.Select(d => d.Guid).ToHashSet(), recoveredPage.Data.Select(d => d.DeliveryId).ToHashSet());
        Assert.DoesNotContain(recoveredPage.Data, d => delivered.Any(first => first.Guid == d.DeliveryId));

        ReliabilityReport.Record(ReliabilityReport.Faults, "GitHub deliveries refused during an outage",
            ("refused 503", refusedDeliveries.Count + 1), ("redeliveries asked", refusedDeliveries.Count), ("recovered, stored once", refusedDeliveries.Count),
            ("runs, one each", refusedDeliveries.Count), ("older than 3 days, not asked", 1), ("asked by a second pass", report.Requested));
    }

    [Fact]
    public async Task RepositoryAndOrganisationHookDeliveries_RefusedDuringAnOutage_AreRecoveredWithTheProjectsToken()
    {
        var github = platform.GitHub;
        var suffix = Guid.NewGuid().ToString("n")[..8];
        var organization = "hooks-org-" + suffix;
        var repository = $"{organization}/site";
        var edge = new Uri(platform.EdgeUri, WebhookTestClient.GitHubPath);

        // A project with a repository hook and an organisation hook, whose PAT is a repository admin and organisation owner.
        var project = "hooks-" + suffix;
        var admin = TestSecrets.Token("ghp");
        await _webhooks.RegisterGitHubPatAsync(project, admin);
        var repositoryTarget = await _webhooks.RegisterGitHubAsync(project, "repository");
        var organizationTarget = await _webhooks.RegisterGitHubAsync(project, "organization");
        var repositoryHook = new GitHubStandInHook(edge, repositoryTarget.Secret, repositoryTarget.TargetId, NewHookId(), "repository")
        {
            Repository = repository, Admins = new HashSet<string> { admin },
        };
        var organizationHook = new GitHubStandInHook(edge, organizationTarget.Secret, organizationTarget.TargetId, NewHookId(), "organization")
        {
            Organization = organization, Admins = new HashSet<string> { admin },
        };

        // Another project's PAT belongs to someone who is no admin of its repository: GitHub answers 404 to it.
        var outsiderProject = "hooks-outsider-" + suffix;
        var outsiderRepository = $"outsider-{suffix}/app";
        await _webhooks.RegisterGitHubPatAsync(outsiderProject);
        var outsiderTarget = await _webhooks.RegisterGitHubAsync(outsiderProject, "repository");
        var outsiderHook = new GitHubStandInHook(edge, outsiderTarget.Secret, outsiderTarget.TargetId, NewHookId(), "repository") { Repository = outsiderRepository };
        GitHubStandInHook[] hooks = [repositoryHook, organizationHook, outsiderHook];
        foreach (var hook in hooks)
        {
            github.Hooks[hook.HookId] = hook;
        }

        // As GitHub: a repository hook's deliveries are for a token, not the App's JWT nor anyone.
        using (var anonymous = new HttpClient())
        {
            using var refused = await anonymous.GetAsync(new Uri(github.BaseUrl, $"api/v3/repos/{repository}/hooks/{repositoryHook.HookId}/deliveries"), Cancellation);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Each hook delivers once while all is well (the platform learns of a hook from what it stored: X-GitHub-Hook-ID).
        var delivered = new List<GitHubStandInDelivery>
        {
            await github.DeliverAsync(repositoryHook.HookId, "pull_request", PullRequest(repository, null), Cancellation),
            await github.DeliverAsync(organizationHook.HookId, "pull_request", PullRequest(repository, organization), Cancellation),
            await github.DeliverAsync(outsiderHook.HookId, "pull_request", PullRequest(outsiderRepository, null), Cancellation),
        };
        Assert.All(delivered, d => Assert.Equal(200, d.StatusCode));

        // The outage: the platform cannot be reached (GitHub records no answer, status 0).
        var unreachable = UnreachableUrl();
        foreach (var hook in hooks)
        {
            github.Hooks[hook.HookId] = hook with { Url = unreachable };
        }

        var refusedDeliveries = new List<GitHubStandInDelivery>();
        GitHubStandInDelivery outsiderRefused;
        try
        {
            for (var i = 0; i < 2; i++)
            {
                refusedDeliveries.Add(await github.DeliverAsync(repositoryHook.HookId, "pull_request", PullRequest(repository, null), Cancellation));
            }

            refusedDeliveries.Add(await github.DeliverAsync(organizationHook.HookId, "pull_request", PullRequest(repository, organization), Cancellation));
            outsiderRefused = await github.DeliverAsync(outsiderHook.HookId, "pull_request", PullRequest(outsiderRepository, null), Cancellation);
        }
        finally
        {
            foreach (var hook in hooks)
            {
                github.Hooks[hook.HookId] = hook;
            }
        }

        Assert.All(refusedDeliveries.Append(outsiderRefused), d => Assert.Equal(0, d.StatusCode));

        // A recovery pass: the refused hook is that hook's failure, with why; the pass goes on and answers 200.
        using var owner = await platform.ClientAsync(Caller.Owner);
        using var response = await owner.PostAsync("/sfp/api/webhooks/deliveries/recover", null, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = (await response.Content.ReadFromJsonAsync<DeliveryRecoveryReport>(Cancellation))!;
        var failure = Assert.Single(report.HookFailures, f => f.Hook.EndsWith($"repos/{outsiderRepository}/hooks/{outsiderHook.HookId}", StringComparison.Ordinal));
        Assert.Equal(404, failure.StatusCode);
        Assert.Contains("admin access to the repository", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(report.HookFailures, f => f.Hook.Contains($"/hooks/{repositoryHook.HookId}", StringComparison.Ordinal)
            || f.Hook.Contains($"/hooks/{organizationHook.HookId}", StringComparison.Ordinal));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        foreach (var refused in refusedDeliveries)
        {
            while (await _webhooks.DeliveriesAsync("github", refused.Guid) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Delivery {refused.Guid} was not recovered within 60 s ({report.Summary}).");
                await Task.Delay(250, Cancellation);
            }
        }

        await github.RedeliveriesSentAsync();
        foreach (var refused in refusedDeliveries)
        {
            Assert.Equal(1, await _webhooks.DeliveriesAsync("github", refused.Guid));
            Assert.True(await _webhooks.RunsForAsync("github", refused.Guid) == 1, await _webhooks.ScalarAsync<string>(
                "SELECT status || ': ' || reason FROM webhook_deliveries WHERE provider = 'github' AND delivery_id = $1", refused.Guid));
            Assert.True(await RecoveredAsync(refused.Guid));
            Assert.Single(github.RedeliveryRequests, id => id == refused.Id);
            Assert.Single(github.HookDeliveries, d => d.Guid == refused.Guid && d.Redelivery && d.StatusCode == 200 && d.HookId == refused.HookId);
        }

        foreach (var first in delivered)
        {
            Assert.Equal(1, await _webhooks.DeliveriesAsync("github", first.Guid));
            Assert.False(await RecoveredAsync(first.Guid));
            Assert.DoesNotContain(first.Id, github.RedeliveryRequests);
        }

        // The hook no token reaches: never asked, not stored.
        Assert.DoesNotContain(outsiderRefused.Id, github.RedeliveryRequests);
        Assert.Equal(0, await _webhooks.DeliveriesAsync("github", outsiderRefused.Guid));

        ReliabilityReport.Record(ReliabilityReport.Faults, "GitHub repository and organisation hook deliveries refused during an outage",
            ("refused (no answer)", refusedDeliveries.Count + 1), ("redeliveries asked", refusedDeliveries.Count),
            ("recovered, stored once", refusedDeliveries.Count), ("runs, one each", refusedDeliveries.Count),
            ("hooks refused to the token, reported", 1));
    }

    private static long NewHookId() => RandomNumberGenerator.GetInt32(1_000_000, int.MaxValue);

    /// <summary>A loopback port nothing listens on: a delivery there gets no answer, as during an outage.</summary>
    private static Uri UnreachableUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}{WebhookTestClient.GitHubPath}");
    }

    /// <summary>
    /// The real <c>pull_request.opened</c> sample for <paramref name="repository"/>; with <paramref name="organization"/>,
    /// the real sample an organisation's hook sends, naming that organisation.
    /// </summary>
    private static byte[] PullRequest(string repository, string? organization)
    {
        var payload = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request",
            organization is null ? "opened.payload.json" : "opened.with-organization.payload.json")))!;
        payload["repository"]!["full_name"] = repository;
        payload["repository"]!["name"] = repository.Split('/')[1];
        payload["repository"]!["owner"]!["login"] = repository.Split('/')[0];
        if (organization is not null)
        {
            payload["organization"]!["login"] = organization;
        }

        return System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    private Task<bool> RecoveredAsync(string guid) =>
        _webhooks.ScalarAsync<bool>("SELECT recovered FROM webhook_deliveries WHERE provider = 'github' AND delivery_id = $1", guid);
}

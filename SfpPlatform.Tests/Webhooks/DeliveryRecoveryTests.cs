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
        await platform.App.ResourceCommands.ExecuteCommandAsync(ServiceNames.Postgres, "resource-stop", Cancellation);
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

    private Task<bool> RecoveredAsync(string guid) =>
        _webhooks.ScalarAsync<bool>("SELECT recovered FROM webhook_deliveries WHERE provider = 'github' AND delivery_id = $1", guid);
}

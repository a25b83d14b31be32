using System.Collections.Concurrent;
using System.Net;
using Aspire.Hosting;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Webhooks;

/// <summary>
/// The database stopped while deliveries stream in: every 200 is a stored delivery, every refusal is a 503 with
/// Retry-After and nothing stored; once Postgres is back, resending the refused deliveries stores each exactly once.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookDatabaseOutageTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Fact]
    public async Task DatabaseStoppedMidStream_Answers503_AndResentDeliveriesAreStoredOnce()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var body = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json"), Cancellation);
        var outcomes = new ConcurrentDictionary<string, WebhookTestClient.Response>();
        using var stop = new CancellationTokenSource();

        // Two senders stream deliveries, each with a fresh id, until told to stop.
        var senders = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Guid.NewGuid().ToString();
                outcomes[id] = await _webhooks.SendGitHubAsync(hook, "pull_request", body, id);
                await Task.Delay(20, Cancellation);
            }
        }, Cancellation)).ToArray();

        await WaitForAsync(() => outcomes.Values.Count(r => r.Status == HttpStatusCode.OK) >= 10, "deliveries before the outage");
        await platform.App.StopAsync("postgres");
        await WaitForAsync(() => outcomes.Values.Count(r => r.Status == HttpStatusCode.ServiceUnavailable) >= 10, "503s during the outage");
        stop.Cancel();
        await Task.WhenAll(senders);

        var refused = outcomes.Where(o => o.Value.Status != HttpStatusCode.OK).ToList();
        Assert.All(refused, o =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, o.Value.Status);
            Assert.Equal("application/problem+json", o.Value.ContentType);
            Assert.NotNull(o.Value.Headers.RetryAfter);
        });

        await platform.App.StartAsync("postgres");
        // The test's own pooled connections died with the server too.
        Npgsql.NpgsqlConnection.ClearAllPools();

        // Acknowledged before the outage: stored exactly once. Refused: nothing stored.
        foreach (var (id, response) in outcomes)
        {
            Assert.Equal(response.Status == HttpStatusCode.OK ? 1 : 0, await _webhooks.DeliveriesAsync("github", id));
        }

        // The provider redelivers the refused ones (same delivery id); a pooled connection broken by the restart may
        // cost one more 503, as a redelivery would.
        foreach (var (id, _) in refused)
        {
            WebhookTestClient.Response resent;
            var attempts = 0;
            do
            {
                resent = await _webhooks.SendGitHubAsync(hook, "pull_request", body, id);
            }
            while (resent.Status == HttpStatusCode.ServiceUnavailable && ++attempts < 20 && await Delay());

            Assert.True(resent.Status == HttpStatusCode.OK, resent.Body);
            Assert.Equal("routed", resent.Text("status"));
        }

        foreach (var id in outcomes.Keys)
        {
            var again = await _webhooks.SendGitHubAsync(hook, "pull_request", body, id);
            Assert.Equal("duplicate", again.Text("status"));
            Assert.Equal(1, await _webhooks.DeliveriesAsync("github", id));
            Assert.Equal(1, await _webhooks.RunsForAsync("github", id));
        }

        var acknowledged = outcomes.Count - refused.Count;
        ReliabilityReport.Record(ReliabilityReport.Faults, "Postgres restarted during a webhook stream",
            ("sent", outcomes.Count), ("acknowledged 200", acknowledged), ("refused 503 then resent", refused.Count),
            ("stored once", outcomes.Count), ("runs, one each", outcomes.Count), ("lost", 0), ("doubled", 0));
        ReliabilityReport.Record(ReliabilityReport.BadInput, "Replayed (duplicate) deliveries",
            ("duplicates sent", outcomes.Count), ("deliveries added", 0), ("runs added", 0));
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(500, Cancellation);
        return true;
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50, Cancellation);
        }
    }
}

using System.Net;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Webhooks;

/// <summary>
/// The intake's group commit through the edge: deliveries that arrive together are stored together, yet each is
/// stored exactly once with its own run and answered 200 only once committed; a delivery Postgres refuses inside a
/// batch is answered 503 with nothing of it stored (not its delivery row without its run), and its neighbours are not lost.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookGroupCommitTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    private static Task<byte[]> OpenedAsync() =>
        File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json"), Cancellation);

    [Fact]
    public async Task ConcurrentBurst_OfDistinctDeliveries_AndTheirRedeliveries_StoresEachOnce_WithOneRunEach()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var body = await OpenedAsync();
        var ids = Enumerable.Range(0, 80).Select(_ => Guid.NewGuid().ToString()).ToArray();
        // Every fourth delivery is also redelivered in the same burst: both copies may land in one batch, or in two.
        var sent = ids.Concat(ids.Where((_, i) => i % 4 == 0)).ToArray();
        var answers = await Task.WhenAll(sent.Select(id => _webhooks.SendGitHubAsync(hook, "pull_request", body, id)));

        foreach (var group in sent.Zip(answers).GroupBy(s => s.First, s => s.Second))
        {
            var responses = group.ToArray();
            Assert.All(responses, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
            var routed = Assert.Single(responses, r => r.Text("status") == "routed");
            Assert.All(responses.Where(r => r != routed), r => Assert.Equal("duplicate", r.Text("status")));
            Assert.Equal(1, await _webhooks.DeliveriesAsync("github", group.Key));
            Assert.Equal(1, await _webhooks.RunsForAsync("github", group.Key));
            // The acknowledged run id is the stored run of this delivery.
            Assert.Equal(1, await _webhooks.ScalarAsync<long>(
                "SELECT count(*) FROM workflow_runs r JOIN webhook_deliveries d ON d.id = r.delivery_id WHERE d.delivery_id = $1 AND r.id = $2::uuid AND d.id = $3::uuid",
                group.Key, routed.Text("runId")!, routed.Text("id")!));
        }
    }

    [Fact]
    public async Task ADeliveryPostgresRefusesInABatch_Is503_StoresNothingHalfWay_AndItsNeighboursAreStored()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var body = await OpenedAsync();
        var poison = Guid.NewGuid().ToString();
        var function = $"sfp_test_refuse_{Guid.NewGuid():N}";
        // The run's INSERT fails for one delivery, after its delivery row was written in the same transaction.
        await _webhooks.ScalarAsync<object>($"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.idempotency_key = 'github:{poison}' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {function} BEFORE INSERT ON workflow_runs FOR EACH ROW EXECUTE FUNCTION {function}();
            SELECT 1
            """);
        try
        {
            var ids = Enumerable.Range(0, 30).Select(_ => Guid.NewGuid().ToString()).Append(poison).ToArray();
            var answers = await Task.WhenAll(ids.Select(id => _webhooks.SendGitHubAsync(hook, "pull_request", body, id)));
            var sends = ids.Zip(answers).ToArray();

            foreach (var (id, response) in sends)
            {
                if (id == poison || response.Status != HttpStatusCode.OK)
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Status);
                    Assert.Equal("application/problem+json", response.ContentType);
                    Assert.NotNull(response.Headers.RetryAfter);
                    Assert.Equal(0, await _webhooks.DeliveriesAsync("github", id));
                    Assert.Equal(0, await _webhooks.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE idempotency_key = $1", $"github:{id}"));
                }
                else
                {
                    Assert.Equal("routed", response.Text("status"));
                    Assert.Equal(1, await _webhooks.DeliveriesAsync("github", id));
                    Assert.Equal(1, await _webhooks.RunsForAsync("github", id));
                }
            }

            // A refusal of one delivery is its own: its neighbours in the batch were stored.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, sends.Single(s => s.First == poison).Second.Status);
            Assert.All(sends.Where(s => s.First != poison), s => Assert.Equal(HttpStatusCode.OK, s.Second.Status));
        }
        finally
        {
            await _webhooks.ScalarAsync<object>($"DROP TRIGGER IF EXISTS {function} ON workflow_runs; DROP FUNCTION IF EXISTS {function}(); SELECT 1");
        }

        // Redelivered once Postgres accepts it: stored once, with its run.
        var resent = await _webhooks.SendGitHubAsync(hook, "pull_request", body, poison);
        Assert.True(resent.Status == HttpStatusCode.OK, resent.Body);
        Assert.Equal("routed", resent.Text("status"));
        Assert.Equal(1, await _webhooks.DeliveriesAsync("github", poison));
        Assert.Equal(1, await _webhooks.RunsForAsync("github", poison));
    }
}

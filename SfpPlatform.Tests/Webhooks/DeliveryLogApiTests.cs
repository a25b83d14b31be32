using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Webhooks;

/// <summary>The delivery log (owners only): filters, paging, one delivery with payload and headers, replay.</summary>
[Collection(PlatformCollection.Name)]
public sealed class DeliveryLogApiTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Fact]
    public async Task Deliveries_AreListedNewestFirst_FilteredAndPaged()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var repository = "octo-" + Guid.NewGuid().ToString("n")[..8] + "/app";
        var sent = new List<string>();
        foreach (var file in new[] { "pull_request/opened.payload.json", "pull_request/labeled.payload.json", "pull_request/closed.payload.json" })
        {
            var payload = await SampleAsync(file);
            payload["repository"]!["full_name"] = repository;
            var deliveryId = Guid.NewGuid().ToString();
            Assert.Equal(HttpStatusCode.OK, (await _webhooks.SendGitHubAsync(hook, "pull_request", Bytes(payload), deliveryId)).Status);
            sent.Add(deliveryId);
        }

        using var owner = await platform.ClientAsync(Caller.Owner);
        var all = await GetJsonAsync(owner, $"/sfp/api/webhooks/deliveries?repository={Uri.EscapeDataString(repository)}");
        Assert.Equal(3, all["count"]!.GetValue<long>());
        Assert.Equal(sent.AsEnumerable().Reverse(), all["data"]!.AsArray().Select(d => d!["deliveryId"]!.GetValue<string>()));

        var routed = await GetJsonAsync(owner, $"/sfp/api/webhooks/deliveries?repository={Uri.EscapeDataString(repository)}&status=routed");
        Assert.Equal(2, routed["count"]!.GetValue<long>());
        Assert.All(routed["data"]!.AsArray(), d => Assert.NotNull(d!["workflow"]));

        var ignored = await GetJsonAsync(owner, $"/sfp/api/webhooks/deliveries?repository={Uri.EscapeDataString(repository)}&status=ignored&provider=github");
        Assert.Equal(sent[1], Assert.Single(ignored["data"]!.AsArray())!["deliveryId"]!.GetValue<string>());

        var page = await GetJsonAsync(owner, $"/sfp/api/webhooks/deliveries?repository={Uri.EscapeDataString(repository)}&pageSize=2&pageIndex=1");
        Assert.Equal(3, page["count"]!.GetValue<long>());
        Assert.Equal(sent[0], Assert.Single(page["data"]!.AsArray())!["deliveryId"]!.GetValue<string>());

        var none = await GetJsonAsync(owner, $"/sfp/api/webhooks/deliveries?repository={Uri.EscapeDataString(repository)}&provider=azure-devops");
        Assert.Equal(0, none["count"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("provider=gitlab", "provider")]
    [InlineData("status=lost", "status")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("pageIndex=-1", "pageIndex")]
    [InlineData("pageSize=ten", "pageSize")]
    public async Task BadFilters_AreRefusedWithTheField(string query, string field)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        using var response = await owner.GetAsync($"/sfp/api/webhooks/deliveries?{query}", Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneDelivery_ShowsPayloadKeptHeadersAndRuns_NeverCredentials()
    {
        var hook = await _webhooks.RegisterAzureDevOpsAsync();
        var payload = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.TestData, "azure-devops-hooks", "git.pullrequest.created.json"), Cancellation))!;
        payload["id"] = Guid.NewGuid().ToString();
        var sent = await _webhooks.SendAzureDevOpsAsync(hook, Bytes(payload));
        var id = sent.Text("id")!;

        using var owner = await platform.ClientAsync(Caller.Owner);
        var detail = await GetJsonAsync(owner, $"/sfp/api/webhooks/deliveries/{id}");

        Assert.Equal("azure-devops", detail["delivery"]!["provider"]!.GetValue<string>());
        Assert.Equal("git.pullrequest.created", detail["delivery"]!["event"]!.GetValue<string>());
        Assert.Equal("opened", detail["delivery"]!["action"]!.GetValue<string>());
        Assert.Equal("Fabrikam/Fabrikam", detail["delivery"]!["repository"]!.GetValue<string>());
        Assert.Equal("fabrikam", detail["delivery"]!["organization"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(payload, detail["payload"]));
        Assert.NotNull(detail["headers"]!["X-VSS-ActivityId"]);
        Assert.DoesNotContain("Authorization", detail["headers"]!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(hook.Password, detail.ToJsonString(), StringComparison.Ordinal);
        var run = Assert.Single(detail["runs"]!.AsArray())!;
        Assert.Equal("validate", run["workflow"]!.GetValue<string>());
        // The Workers' engine may already have picked it up.
        Assert.Contains(run["status"]!.GetValue<string>(), new[] { "queued", "running", "succeeded", "failed", "cancelled" });

        using var missing = await owner.GetAsync($"/sfp/api/webhooks/deliveries/{Guid.NewGuid()}", Cancellation);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Replay_AddsARunLinkedToTheOriginal_UnderTheCurrentRules()
    {
        var project = "replay-" + Guid.NewGuid().ToString("n")[..8];
        var hook = await _webhooks.RegisterGitHubAsync(project);
        var opened = await _webhooks.SendGitHubAsync(hook, "pull_request", Bytes(await SampleAsync("pull_request/opened.payload.json")));
        var labeled = await _webhooks.SendGitHubAsync(hook, "pull_request", Bytes(await SampleAsync("pull_request/labeled.payload.json")));
        var originalRun = opened.Text("runId")!;
        using var owner = await platform.ClientAsync(Caller.Owner);

        using var replay = await owner.PostAsync($"/sfp/api/webhooks/deliveries/{opened.Text("id")}/replay", null, Cancellation);
        var replayed = JsonNode.Parse(await replay.Content.ReadAsStringAsync(Cancellation))!;
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("validate", replayed["workflow"]!.GetValue<string>());
        Assert.Equal(originalRun, replayed["replayOfRunId"]!.GetValue<string>());
        Assert.NotEqual(originalRun, replayed["id"]!.GetValue<string>());
        var detail = await GetJsonAsync(owner, $"/sfp/api/webhooks/deliveries/{opened.Text("id")}");
        Assert.Equal(2, detail["runs"]!.AsArray().Count);

        // Ignored under the defaults: nothing to replay, until the project's rules route it.
        using var refused = await owner.PostAsync($"/sfp/api/webhooks/deliveries/{labeled.Text("id")}/replay", null, Cancellation);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("no rule", await refused.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);

        using var put = await owner.PutAsync($"/sfp/api/webhooks/routing-rules/{project}", new StringContent(
            """{"rules":[{"event":"pull_request","actions":["labeled"],"workflow":"validate"}]}""", Encoding.UTF8, "application/json"), Cancellation);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var accepted = await owner.PostAsync($"/sfp/api/webhooks/deliveries/{labeled.Text("id")}/replay", null, Cancellation);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(1, await _webhooks.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE delivery_id = $1", Guid.Parse(labeled.Text("id")!)));

        using var unknown = await owner.PostAsync($"/sfp/api/webhooks/deliveries/{Guid.NewGuid()}/replay", null, Cancellation);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData(Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Caller.Member, HttpStatusCode.Forbidden)]
    [InlineData(Caller.Application, HttpStatusCode.Forbidden)]
    public async Task DeliveryLog_IsForOwnersOnly(Caller caller, HttpStatusCode expected)
    {
        using var client = await platform.ClientAsync(caller);
        using var list = await client.GetAsync("/sfp/api/webhooks/deliveries", Cancellation);
        using var one = await client.GetAsync($"/sfp/api/webhooks/deliveries/{Guid.NewGuid()}", Cancellation);
        using var replay = await client.PostAsync($"/sfp/api/webhooks/deliveries/{Guid.NewGuid()}/replay", null, Cancellation);
        using var rules = await client.PutAsync("/sfp/api/webhooks/routing-rules/p1", new StringContent("""{"rules":[]}""", Encoding.UTF8, "application/json"), Cancellation);

        Assert.Equal(expected, list.StatusCode);
        Assert.Equal(expected, one.StatusCode);
        Assert.Equal(expected, replay.StatusCode);
        Assert.Equal(expected, rules.StatusCode);
    }

    [Theory]
    [InlineData("""{"rules":[{"event":"push","workflow":"deploy"}]}""", "rules[0].workflow")]
    [InlineData("""{"rules":[{"event":"","workflow":"build"}]}""", "rules[0].event")]
    [InlineData("""{"rules":[{"event":"push","workflow":"build","provider":"gitlab"}]}""", "rules[0].provider")]
    [InlineData("""{"rules":[{"event":"push","workflow":"build","branches":[""]}]}""", "rules[0].branches")]
    [InlineData("""{"rules":null}""", "rules")]
    [InlineData("""{"rules":[{"workflow":"build"}]}""", "rules[0]")]
    public async Task BadRoutingRules_AreRefusedWithTheField(string json, string field)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        using var response = await owner.PutAsync("/sfp/api/webhooks/routing-rules/bad-rules", new StringContent(json, Encoding.UTF8, "application/json"), Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, body, StringComparison.Ordinal);
        var stored = await GetJsonAsync(owner, "/sfp/api/webhooks/routing-rules/bad-rules");
        Assert.Equal("default", stored["source"]!.GetValue<string>());
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private static async Task<JsonNode> SampleAsync(string file) =>
        JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.TestData, "github-webhooks", file), Cancellation))!;

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());
}

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Webhooks;

/// <summary>
/// Held-out deliveries — valid JSON, signed, sent through the edge — whose content Postgres cannot hold as text or
/// that our models cannot bind: each is stored byte for byte with no 500, and routed as its event says. And the
/// concurrency of runs by workflow: a comment command never cancels a validation; a burst for one pull request is
/// acknowledged as distinct deliveries are and leaves one live validation.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AuthenticContentTests(PlatformAppFixture platform)
{
    private const string Marker = "@@RAW@@";

    private readonly WebhookTestClient _webhooks = new(platform);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static string GitHubData => Path.Combine(RepositoryPaths.TestData, "github-webhooks");

    /// <summary>Each case: the event, how to change a real sample, raw JSON put in place of the marker, what it routes to.</summary>
    public static TheoryData<string, string, string, string?> Cases => new()
    {
        { "pull-request title with NUL", "pull_request/opened.payload.json:title", "\"x\\u0000y\"", "validate" },
        { "pull-request title with lone surrogates", "pull_request/opened.payload.json:title", "\"\\ud800 \\udfff \\ud83d\"", "validate" },
        { "pull-request body with NUL in an escape run", "pull_request/opened.payload.json:body", "\"\\\\\\u0000\\\\u0000\"", "validate" },
        { "deeply nested client payload", "repository_dispatch:client_payload", new string('[', 5000) + new string(']', 5000), null },
        { "a number beyond any integer", "pull_request/opened.payload.json:extra", "1e400", "validate" },
        { "a pull-request number beyond Int64", "pull_request/opened.payload.json:number", "123456789012345678901234567890", null },
        { "duplicate keys", "pull_request/opened.payload.json:draft", "false, \"draft\": false, \"action\": \"opened\"", "validate" },
        { "a very long repository name, an emoji at the cut", "pull_request/opened.payload.json:repository.full_name", "\"acme/" + new string('r', 294) + "😀" + new string('s', 5000) + "\"", "validate" },
        { "a very long organisation login", "pull_request/opened.with-organization.payload.json:organization.login", "\"" + string.Concat(Enumerable.Repeat("😀", 400)) + "\"", "validate" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AuthenticDelivery_IsStoredByteForByte_NeverA500(string name, string change, string raw, string? workflow)
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var (eventName, body) = Build(change, raw);
        var deliveryId = Guid.NewGuid().ToString();

        var delivered = await _webhooks.SendGitHubAsync(hook, eventName, body, deliveryId);

        Assert.True(delivered.Status == HttpStatusCode.OK, $"{name}: {delivered.Status} {delivered.Body}");
        Assert.Equal(workflow is null ? "ignored" : "routed", delivered.Text("status"));
        Assert.Equal(workflow, delivered.Text("workflow"));
        Assert.Equal(body, await _webhooks.ScalarAsync<byte[]>("SELECT body FROM webhook_deliveries WHERE delivery_id = $1", deliveryId));
        Assert.Equal(workflow is null ? 0 : 1, await _webhooks.RunsForAsync("github", deliveryId));
        Assert.Equal(0L, await _webhooks.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_deliveries WHERE delivery_id = $1 AND length(coalesce(repository, '')) > 300", deliveryId));
        ReliabilityReport.Record(ReliabilityReport.BadInput, "Authentic deliveries Postgres cannot hold as text", ("deliveries stored", 1));
    }

    [Fact]
    public async Task HelpComment_LeavesTheValidationAlone()
    {
        var project = "help-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/app";
        var hook = await _webhooks.RegisterGitHubAsync(project);
        var (opened, payload) = await _webhooks.OpenPullRequestAsync(hook, repository);
        var validation = Guid.Parse(opened.Text("runId")!);
        var comment = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(GitHubData, "issue_comment", "created.payload.json"), Cancellation))!;
        comment["repository"]!["full_name"] = repository;
        comment["issue"]!["number"] = payload["number"]!.GetValue<int>();
        comment["issue"]!["pull_request"] = new JsonObject { ["url"] = $"https://api.github.com/repos/{repository}/pulls/1" };
        comment["comment"]!["body"] = "/sfp help";

        var help = await _webhooks.SendGitHubAsync(hook, "issue_comment", Encoding.UTF8.GetBytes(comment.ToJsonString()));

        Assert.True(help.Status == HttpStatusCode.OK, help.Body);
        Assert.Equal("command", help.Text("workflow"));
        Assert.True(await _webhooks.ScalarAsync<bool>("SELECT concurrency_key IS NULL FROM workflow_runs WHERE id = $1", Guid.Parse(help.Text("runId")!)));
        Assert.EndsWith(":validate", await _webhooks.ScalarAsync<string>("SELECT concurrency_key FROM workflow_runs WHERE id = $1", validation), StringComparison.Ordinal);
        // Whatever the validation does meanwhile (this project has no credentials, so it fails), nothing cancels it.
        await _webhooks.WaitForRunAsync(validation);
        Assert.False(await _webhooks.ScalarAsync<bool>("SELECT cancel_requested FROM workflow_runs WHERE id = $1", validation));
        ReliabilityReport.Record(ReliabilityReport.Faults, "Comment commands and bursts for one pull request", ("help comments that left the validation alone", 1));
    }

    [Fact]
    public async Task BurstForOnePullRequest_IsAcknowledgedAsDistinctOnesAre_AndLeavesOneLiveValidation()
    {
        const int burst = 32;
        var hook = await _webhooks.RegisterGitHubAsync("burst-" + Guid.NewGuid().ToString("n")[..8]);
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/app";
        var sample = JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(GitHubData, "pull_request", "synchronize.payload.json"), Cancellation))!;

        async Task<(double PerSecond, WebhookTestClient.Response[] Answers)> SendAsync(Func<int, int> number)
        {
            var bodies = Enumerable.Range(0, burst).Select(i =>
            {
                var payload = sample.DeepClone();
                payload["repository"]!["full_name"] = repository;
                payload["number"] = number(i);
                payload["pull_request"]!["number"] = number(i);
                return Encoding.UTF8.GetBytes(payload.ToJsonString());
            }).ToArray();
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(bodies.Select(b => _webhooks.SendGitHubAsync(hook, "pull_request", b)));
            var elapsed = clock.Elapsed.TotalSeconds;
            Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK && a.Text("workflow") == "validate", a.Body));
            return (burst / elapsed, answers);
        }

        var (distinct, distinctAnswers) = await SendAsync(i => 1000 + i);
        // The distinct pull requests' validations are not what this test waits for: cancelled through the Api, they
        // leave the workers to the one pull request's runs.
        using var owner = await _webhooks.OwnerAsync();
        foreach (var answer in distinctAnswers)
        {
            using var cancelled = await owner.PostAsync($"/sfp/api/runs/{answer.Text("runId")}/cancel", null, Cancellation);
            // 409: it had already ended.
            Assert.True(cancelled.IsSuccessStatusCode || cancelled.StatusCode == HttpStatusCode.Conflict, $"cancel {answer.Text("runId")}: {(int)cancelled.StatusCode}");
        }

        var (samePullRequest, _) = await SendAsync(_ => 7);

        var key = $"github:{repository}:pr:7:validate";
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        long live;
        while ((live = await _webhooks.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE concurrency_key = $1 AND status IN ('queued', 'running')", key)) > 1
            || await _webhooks.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE concurrency_key = $1 AND status = 'running'", key) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{live} live validations of the pull request");
            await Task.Delay(200, Cancellation);
        }

        // The newest delivery's run is the one that ran; every older one that had not run was superseded.
        Assert.NotEqual("cancelled", await _webhooks.ScalarAsync<string>(
            "SELECT status FROM workflow_runs WHERE concurrency_key = $1 ORDER BY id DESC LIMIT 1", key));
        Assert.Equal((long)burst, await _webhooks.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE concurrency_key = $1", key));
        ReliabilityReport.Record(ReliabilityReport.Faults, "Comment commands and bursts for one pull request",
            ("deliveries in one pull request's burst", burst),
            ("acknowledgements/s, one pull request (last run)", (long)samePullRequest),
            ("acknowledgements/s, distinct pull requests (last run)", (long)distinct));
    }

    /// <summary>A real sample with one value replaced by raw JSON text (what no serializer would write), or a repository_dispatch.</summary>
    private static (string Event, byte[] Body) Build(string change, string raw)
    {
        var (file, path) = change.Split(':') is [var f, var p] ? (f, p) : throw new ArgumentException(change);
        if (file == "repository_dispatch")
        {
            var dispatch = """{"action":"deploy","branch":"main","client_payload":@@RAW@@,"repository":{"id":1,"full_name":"acme/app"},"sender":{"login":"octocat","type":"User"},"installation":{"id":1}}""";
            return ("repository_dispatch", Encoding.UTF8.GetBytes(dispatch.Replace(Marker, raw, StringComparison.Ordinal)));
        }

        var payload = JsonNode.Parse(File.ReadAllBytes(Path.Combine(GitHubData, file)))!;
        payload["repository"]!["full_name"] = $"acme-{Guid.NewGuid().ToString("n")[..6]}/app";
        var segments = path.Split('.');
        var parent = segments[..^1].Aggregate(payload, (node, segment) => node[segment] ??= new JsonObject());
        var target = path == "title" || path == "body" ? payload["pull_request"]! : parent;
        target[segments[^1]] = Marker;
        var text = payload.ToJsonString().Replace($"\"{Marker}\"", raw, StringComparison.Ordinal);
        return (file.Split('/')[0], Encoding.UTF8.GetBytes(text));
    }
}

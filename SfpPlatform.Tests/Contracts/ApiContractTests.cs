using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Auth;
using SfpPlatform.Contracts.Health;
using SfpPlatform.Contracts.Integrations;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Webhooks.Routing;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;
using SfpPlatform.Topology;
using static SfpPlatform.Tests.Infrastructure.ContractJson;

namespace SfpPlatform.Tests.Contracts;

/// <summary>
/// The real Api's answers, through the edge, read strictly into the contract records the Web and the Workers use
/// (<see cref="ContractJson"/>), one test per endpoint family, with the values checked.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiContractTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Fact]
    public async Task Integrations_AnswerAsTheContractRecords()
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var name = "contract-" + Guid.NewGuid().ToString("n");
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var request = new CreateIntegrationRequest(IntegrationKinds.GitHubPat, name, null,
            JsonSerializer.SerializeToElement(new { baseUrl = platform.Providers.BaseUrl }), platform.Providers.GitHubToken);

        var created = await SendAsync<IntegrationResponse>(owner, HttpMethod.Post, "/sfp/api/integrations", request, HttpStatusCode.Created);
        Assert.Equal(IntegrationKinds.GitHubPat, created.Kind);
        Assert.Equal(name, created.Name);
        Assert.Null(created.ProjectKey);
        Assert.Equal(platform.Providers.BaseUrl, created.Settings.GetProperty("baseUrl").GetString());
        Assert.Equal(Fingerprint(platform.Providers.GitHubToken), created.SecretFingerprint);
        Assert.False(string.IsNullOrEmpty(created.KeyId));
        Assert.InRange(created.CreatedAt, before, DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.Null(created.LastUsedAt);

        var listed = await SendAsync<IReadOnlyList<IntegrationResponse>>(owner, HttpMethod.Get, $"/sfp/api/integrations?kind={IntegrationKinds.GitHubPat}");
        Assert.Equal(created.SecretFingerprint, Assert.Single(listed, i => i.Id == created.Id).SecretFingerprint);
        var fetched = await SendAsync<IntegrationResponse>(owner, HttpMethod.Get, $"/sfp/api/integrations/{created.Id}");
        Assert.Equal(name, fetched.Name);

        var tested = await SendAsync<ConnectionTestResponse>(owner, HttpMethod.Post, $"/sfp/api/integrations/{created.Id}/test");
        Assert.True(tested.Ok, tested.Detail);
        Assert.Contains("accepted", tested.Detail, StringComparison.Ordinal);

        var secret = TestSecrets.Token("ghp");
        var rotated = await SendAsync<IntegrationResponse>(owner, HttpMethod.Post, $"/sfp/api/integrations/{created.Id}/rotate", new RotateSecretRequest(secret));
        Assert.Equal(Fingerprint(secret), rotated.SecretFingerprint);
        var renamed = await SendAsync<IntegrationResponse>(owner, HttpMethod.Put, $"/sfp/api/integrations/{created.Id}",
            new UpdateIntegrationRequest(name + "-renamed", created.Settings));
        Assert.Equal(name + "-renamed", renamed.Name);
        Assert.True(renamed.UpdatedAt > created.UpdatedAt);
    }

    [Fact]
    public async Task IntegrationKinds_AreServedToMembers_AsDeclared()
    {
        using var member = await platform.ClientAsync(Caller.Member);

        var kinds = await SendAsync<IReadOnlyList<IntegrationKind>>(member, HttpMethod.Get, "/sfp/api/integrations/kinds");

        Assert.Equal(IntegrationKinds.All, kinds.Select(k => k.Id));
        Assert.Equal(JsonSerializer.Serialize(IntegrationKinds.Schema, Strict), JsonSerializer.Serialize(kinds, Strict));
        var hook = Assert.Single(kinds, k => k.Id == IntegrationKinds.GitHubWebhook);
        Assert.Equal(IntegrationValidator.GitHubHookTargets, Assert.Single(hook.Settings, f => f.Name == "targetType").Choices);
        Assert.True(Assert.Single(kinds, k => k.Id == IntegrationKinds.GitHubApp).Secret.Multiline);
    }

    [Fact]
    public async Task Deliveries_AnswerAsTheContractRecords()
    {
        var project = "contract-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"octo-{Guid.NewGuid().ToString("n")[..8]}/app";
        var hook = await _webhooks.RegisterGitHubAsync(project);
        var (delivered, payload) = await _webhooks.OpenPullRequestAsync(hook, repository);
        var id = Guid.Parse(delivered.Text("id")!);
        var runId = Guid.Parse(delivered.Text("runId")!);
        using var owner = await platform.ClientAsync(Caller.Owner);

        var page = await SendAsync<PaginatedItems<DeliverySummary>>(owner, HttpMethod.Get,
            $"/sfp/api/webhooks/deliveries?repository={Uri.EscapeDataString(repository)}&pageSize=7");
        Assert.Equal((0, 7, 1L), (page.PageIndex, page.PageSize, page.Count));
        var summary = Assert.Single(page.Data);
        Assert.Equal(id, summary.Id);
        Assert.Equal(("github", "pull_request", "opened", repository, project), (summary.Provider, summary.Event, summary.Action, summary.Repository, summary.ProjectKey));
        Assert.Equal((DeliveryStatuses.Routed, "validate"), (summary.Status, summary.Workflow));
        Assert.False(string.IsNullOrEmpty(summary.DeliveryId));
        Assert.StartsWith("rule ", summary.Reason, StringComparison.Ordinal);

        var detail = await SendAsync<DeliveryDetail>(owner, HttpMethod.Get, $"/sfp/api/webhooks/deliveries/{id}");
        Assert.Equal(summary, detail.Delivery);
        Assert.Equal(Guid.Parse(hook.IntegrationId), detail.IntegrationId);
        Assert.Equal("pull_request", detail.Headers.Single(h => h.Key.Equals("X-GitHub-Event", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.Equal(repository, detail.Payload.GetProperty("repository").GetProperty("full_name").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(payload.ToJsonString()), detail.BodyBytes);
        var run = Assert.Single(detail.Runs);
        Assert.Equal((runId, "validate", (Guid?)null), (run.Id, run.Workflow, run.ReplayOfRunId));

        var replay = await SendAsync<DeliveryRun>(owner, HttpMethod.Post, $"/sfp/api/webhooks/deliveries/{id}/replay", expected: HttpStatusCode.Created);
        Assert.Equal(("validate", (Guid?)runId), (replay.Workflow, replay.ReplayOfRunId));
        Assert.NotEqual(runId, replay.Id);
    }

    [Fact]
    public async Task Runs_AnswerAsTheContractRecords()
    {
        // A run of a workflow no worker runs stays queued, with a step attempt and log lines written as the engine writes them.
        var project = "contract-" + Guid.NewGuid().ToString("n")[..8];
        var runId = Guid.CreateVersion7();
        var started = DateTimeOffset.UtcNow.AddSeconds(-30);
        await SqlAsync("""
            INSERT INTO workflow_runs (id, workflow, status, input, project_key, created_at, updated_at, next_attempt_at, attempt, cancel_requested)
            VALUES ($1, 'not-a-known-workflow', 'queued', '{}'::jsonb, $2, now(), now(), now(), 1, false)
            """, runId, project);
        await SqlAsync("""
            INSERT INTO workflow_step_runs (run_id, step, attempt, status, error, worker, started_at, finished_at)
            VALUES ($1, 'checkout', 1, 'failed', 'the clone timed out', 'worker-1', $2, $3)
            """, runId, started, started.AddSeconds(5));
        await SqlAsync("""
            INSERT INTO workflow_logs (run_id, step, at, line) VALUES ($1, 'checkout', $2, 'cloning'), ($1, 'checkout', $2, 'timed out')
            """, runId, started);
        using var member = await platform.ClientAsync(Caller.Member);

        var page = await SendAsync<PaginatedItems<RunSummary>>(member, HttpMethod.Get, $"/sfp/api/runs?projectKey={project}");
        var summary = Assert.Single(page.Data);
        Assert.Equal((runId, "not-a-known-workflow", RunStatuses.Queued, project, 1), (summary.Id, summary.Workflow, summary.Status, summary.ProjectKey, summary.Attempt));
        Assert.Equal(((Guid?)null, (Guid?)null, false, (DateTimeOffset?)null), (summary.DeliveryId, summary.ReplayOfRunId, summary.CancelRequested, summary.StartedAt));

        var detail = await SendAsync<RunDetail>(member, HttpMethod.Get, $"/sfp/api/runs/{runId}");
        Assert.Equal(summary, detail.Run);
        var step = Assert.Single(detail.Steps);
        Assert.Equal(("checkout", 1, "failed", "the clone timed out"), (step.Step, step.Attempt, step.Status, step.Error));
        Assert.Equal(TimeSpan.FromSeconds(5), step.FinishedAt - step.StartedAt);

        var log = await SendAsync<RunLog>(member, HttpMethod.Get, $"/sfp/api/runs/{runId}/logs");
        Assert.Equal(RunStatuses.Queued, log.Status);
        Assert.Equal(["cloning", "timed out"], log.Lines.Select(l => l.Line));
        Assert.All(log.Lines, l => Assert.Equal("checkout", l.Step));
        var onward = await SendAsync<RunLog>(member, HttpMethod.Get, $"/sfp/api/runs/{runId}/logs?afterId={log.Lines[0].Id}");
        Assert.Equal(log.Lines[1], Assert.Single(onward.Lines));

        using var owner = await platform.ClientAsync(Caller.Owner);
        var cancelled = await SendAsync<RunSummary>(owner, HttpMethod.Post, $"/sfp/api/runs/{runId}/cancel");
        Assert.Equal((runId, RunStatuses.Cancelled), (cancelled.Id, cancelled.Status));
        Assert.True(RunStatuses.IsFinished(cancelled.Status));
    }

    [Fact]
    public async Task RoutingRules_AnswerAsTheContractRecords()
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var project = "contract-" + Guid.NewGuid().ToString("n")[..8];

        var defaults = await SendAsync<RoutingRulesResponse>(owner, HttpMethod.Get, "/sfp/api/webhooks/routing-rules");
        Assert.Equal((null, "default"), (defaults.ProjectKey, defaults.Source));
        Assert.Equal(JsonSerializer.Serialize(DefaultRoutingRules.Rules), JsonSerializer.Serialize(defaults.Rules));

        RoutingRule[] rules = [new() { Event = "push", Branches = ["main"], Provider = "github", IncludeBots = true, Workflow = "build" }];
        var saved = await SendAsync<RoutingRulesResponse>(owner, HttpMethod.Put, $"/sfp/api/webhooks/routing-rules/{project}", new RoutingRulesRequest(rules));
        var read = await SendAsync<RoutingRulesResponse>(owner, HttpMethod.Get, $"/sfp/api/webhooks/routing-rules/{project}");

        foreach (var answer in new[] { saved, read })
        {
            Assert.Equal((project, "project"), (answer.ProjectKey, answer.Source));
            var rule = Assert.Single(answer.Rules);
            Assert.Equal(("push", "github", true, false, "build"), (rule.Event, rule.Provider, rule.IncludeBots, rule.IncludeDrafts, rule.Workflow));
            Assert.Equal(["main"], rule.Branches!);
            Assert.Null(rule.Actions);
        }
    }

    [Fact]
    public async Task HealthAndDevelopmentTokens_AnswerAsTheContractRecords()
    {
        using var anonymous = platform.CreateEdgeClient();

        var health = await SendAsync<PlatformHealth>(anonymous, HttpMethod.Get, "/sfp/api/health");
        Assert.Equal("Healthy", health.Status);

        var token = await SendAsync<DevelopmentTokenResponse>(anonymous, HttpMethod.Post, "/sfp/api/dev/token", new DevelopmentTokenRequest("member", "contract-test"));
        Assert.Equal(("bearer", "member", 3600), (token.TokenType, token.Role, token.ExpiresIn));
        using var member = platform.CreateEdgeClient();
        member.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.AccessToken);
        Assert.NotEmpty(await SendAsync<IReadOnlyList<IntegrationKind>>(member, HttpMethod.Get, "/sfp/api/integrations/kinds"));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheAnswersAsTheContractRecords()
    {
        using var anonymous = platform.CreateEdgeClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/sfp/api/openapi/v1.json", Cancellation));
        var root = document.RootElement;
        string Schema(string path, string method, string status) => root.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema").GetRawText();

        Assert.Contains("RunDetail", Schema("/sfp/api/runs/{id}", "get", "200"), StringComparison.Ordinal);
        Assert.Contains("RunSummary", Schema("/sfp/api/runs", "get", "200"), StringComparison.Ordinal);
        Assert.Contains("DeliveryDetail", Schema("/sfp/api/webhooks/deliveries/{id}", "get", "200"), StringComparison.Ordinal);
        Assert.Contains("IntegrationKind", Schema("/sfp/api/integrations/kinds", "get", "200"), StringComparison.Ordinal);
        Assert.Contains("RoutingRulesResponse", Schema("/sfp/api/webhooks/routing-rules/{projectKey}", "get", "200"), StringComparison.Ordinal);
        Assert.Contains("WorkersHealth", Schema("/sfp/api/health/workers", "get", "200"), StringComparison.Ordinal);
        var schemas = root.GetProperty("components").GetProperty("schemas");
        foreach (var record in new[] { "RunStep", "RunLog", "DeliverySummary", "IntegrationResponse", "IntegrationSettingField", "RoutingRule", "PlatformHealth", "WorkerStatus" })
        {
            Assert.True(schemas.TryGetProperty(record, out _), $"no schema {record} in the OpenAPI document");
        }
    }

    [Fact]
    public async Task OpenApiDocument_DeclaresTheBearerScheme_TheRefusalsPerEndpoint_AndTheXmlComments()
    {
        using var anonymous = platform.CreateEdgeClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/sfp/api/openapi/v1.json", Cancellation));
        var root = document.RootElement;
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        JsonElement Operation(string path, string method) => root.GetProperty("paths").GetProperty(path).GetProperty(method);
        string[] Answers(JsonElement operation) => [.. operation.GetProperty("responses").EnumerateObject().Select(r => r.Name)];

        var cancel = Operation("/sfp/api/runs/{id}/cancel", "post");
        Assert.Subset(Answers(cancel).ToHashSet(), new HashSet<string> { "200", "401", "403", "404", "409", "503" });
        Assert.Equal("Bearer", cancel.GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.Subset(Answers(Operation("/sfp/api/audit", "get")).ToHashSet(), new HashSet<string> { "200", "400", "401", "403", "503" });
        Assert.Subset(Answers(Operation("/sfp/api/health/workers", "get")).ToHashSet(), new HashSet<string> { "200", "401", "403", "503" });

        // A webhook receiver authenticates its own way: no bearer scheme, no 403; it answers 503 while the database is down.
        var github = Operation("/sfp/api/webhooks/github", "post");
        Assert.False(github.TryGetProperty("security", out _));
        Assert.Contains("503", Answers(github));
        Assert.DoesNotContain("403", Answers(github));

        // The handlers' XML comments are in the document.
        var actor = Operation("/sfp/api/audit", "get").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "actor");
        Assert.Equal("Only entries by this actor (exact).", actor.GetProperty("description").GetString());
    }

    private static string Fingerprint(string secret) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];

    private async Task SqlAsync(string sql, params object[] parameters) =>
        await Sql.ScalarAsync<object?>((await platform.App.GetConnectionStringAsync(ServiceNames.Postgres, Cancellation))!, sql, parameters, Cancellation);
}

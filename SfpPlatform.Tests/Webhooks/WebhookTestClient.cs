using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Topology;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Webhooks;

/// <summary>
/// Drives the webhook receivers through the edge as GitHub and Azure DevOps do (signed or basic-authenticated raw
/// bytes, the providers' headers), registers webhook integrations through the API, and reads what was stored.
/// </summary>
public sealed class WebhookTestClient(PlatformAppFixture platform)
{
    public const string GitHubPath = "/sfp/api/webhooks/github";
    public const string AzureDevOpsPath = "/sfp/api/webhooks/azure-devops";

    public sealed record Response(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, string? ContentType)
    {
        public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);

        public string? Text(string property) => Json?[property]?.GetValue<string>();
    }

    /// <summary>A GitHub hook target with its own secret (an App id no other test uses).</summary>
    public sealed record GitHubHook(string TargetType, long TargetId, string Secret, string IntegrationId);

    public sealed record AzureDevOpsHook(string Username, string Password, string IntegrationId);

    /// <summary>The fixture's <see cref="PlatformAppFixture.ClientAsync"/> as the owner (kept for the tests that call it here).</summary>
    public Task<HttpClient> OwnerAsync() => platform.ClientAsync(Caller.Owner);

    /// <summary>A client of the Api signed in as <paramref name="subject"/> (the token's <c>sub</c>) with <paramref name="role"/>.</summary>
    public Task<HttpClient> UserAsync(string subject, string role) => platform.UserAsync(subject, role);

    /// <summary>The fixture's <see cref="PlatformAppFixture.ClientAsync"/> by role name, null for anonymous (kept for the tests that call it here).</summary>
    public Task<HttpClient> ClientAsync(string? role) =>
        platform.ClientAsync(role is null ? Caller.Anonymous : Enum.Parse<Caller>(role, ignoreCase: true));

    public async Task<GitHubHook> RegisterGitHubAsync(string? projectKey = null, string targetType = "integration")
    {
        var targetId = RandomNumberGenerator.GetInt32(1_000_000, int.MaxValue);
        var secret = TestSecrets.Token("whsec");
        var id = await CreateIntegrationAsync("github-webhook", projectKey, new { targetType, targetId }, secret);
        return new GitHubHook(targetType, targetId, secret, id);
    }

    public async Task<AzureDevOpsHook> RegisterAzureDevOpsAsync(string? projectKey = null)
    {
        var username = "hooks-" + Guid.NewGuid().ToString("n")[..10];
        var password = TestSecrets.Token("hookpw");
        var id = await CreateIntegrationAsync("azure-devops-webhook", projectKey, new { username }, password);
        return new AzureDevOpsHook(username, password, id);
    }

    /// <summary>A GitHub App integration for <paramref name="projectKey"/> on the fixture's GitHub stand-in.</summary>
    public Task<string> RegisterGitHubAppAsync(string projectKey) =>
        CreateIntegrationAsync("github-app", projectKey,
            new { appId = 1, clientId = PlatformAppFixture.GitHubAppClientId, baseUrl = platform.GitHub.BaseUrl.AbsoluteUri.TrimEnd('/') },
            platform.GitHub.AppKey.ExportRSAPrivateKeyPem());

    /// <summary>
    /// A GitHub PAT integration for <paramref name="projectKey"/> on the fixture's GitHub stand-in, which then accepts the
    /// PAT (<paramref name="pat"/>, or a new one).
    /// </summary>
    public Task<string> RegisterGitHubPatAsync(string projectKey, string? pat = null)
    {
        pat ??= TestSecrets.Token("ghp");
        platform.GitHub.Pats.Add(pat);
        return CreateIntegrationAsync("github-pat", projectKey, new { baseUrl = platform.GitHub.BaseUrl.AbsoluteUri.TrimEnd('/') }, pat);
    }

    /// <summary>
    /// The project's dev hub as a <c>salesforce-jwt</c> integration (JWT bearer flow) on the fixture's Salesforce
    /// stand-in over HTTPS, where the sfp CLI's library logs in.
    /// </summary>
    public Task<string> RegisterSalesforceAsync(string projectKey) =>
        CreateIntegrationAsync("salesforce-jwt", projectKey,
            new { loginUrl = platform.Saas.SalesforceHttpsUrl!.AbsoluteUri.TrimEnd('/'), username = platform.Saas.Username, consumerKey = platform.Saas.ConsumerKey },
            platform.Saas.ConnectedAppKey.ExportRSAPrivateKeyPem());

    /// <summary>
    /// An org as a <c>salesforce-auth-url</c> integration (what <c>sfp org login url</c> takes) for the stand-in's user
    /// <paramref name="username"/> (the dev hub's by default), named in its settings as review orgs are found.
    /// </summary>
    public Task<string> RegisterSalesforceAuthUrlAsync(string projectKey, string? username = null) =>
        CreateIntegrationAsync("salesforce-auth-url", projectKey, new { username = username ?? platform.Saas.Username },
            platform.Saas.AuthUrl(username ?? platform.Saas.Username));

    /// <summary>An Azure DevOps PAT (by default on the fixture's Azure DevOps stand-in, organisation <c>contoso</c>).</summary>
    public Task<string> RegisterAzureDevOpsPatAsync(string? projectKey, string? organizationUrl = null, string? pat = null) =>
        CreateIntegrationAsync("azure-devops-pat", projectKey,
            new { organizationUrl = organizationUrl ?? platform.Saas.BaseUrl.AbsoluteUri + "contoso" }, pat ?? platform.Saas.AzureDevOpsPat);

    /// <summary>A signed <c>pull_request.opened</c> (the real sample) for <paramref name="repository"/>; the payload as sent.</summary>
    public async Task<(Response Delivered, System.Text.Json.Nodes.JsonNode Payload)> OpenPullRequestAsync(GitHubHook hook, string repository)
    {
        var payload = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllBytesAsync(
            Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json"), Cancellation))!;
        payload["repository"]!["full_name"] = repository;
        return (await SendGitHubAsync(hook, "pull_request", Encoding.UTF8.GetBytes(payload.ToJsonString())), payload);
    }

    /// <summary>
    /// A project whose pull requests validate against the stand-ins (an installed GitHub App, a Salesforce org) and take
    /// <paramref name="seconds"/> to do so (the org stand-in waits), and its webhook.
    /// </summary>
    public async Task<GitHubHook> RegisterSlowValidationAsync(string project, string repository, int seconds)
    {
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        platform.GitHub.Sources[repository] = new()
        {
            ["sfdx-project.json"] = """{"packageDirectories":[{"path":"force-app","default":true}]}""",
            ["SLOW"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await RegisterGitHubAppAsync(project);
        await RegisterSalesforceAsync(project);
        return await RegisterGitHubAsync(project);
    }

    /// <summary>Waits for a run to end; returns "succeeded", or the status with its error.</summary>
    public async Task<string> WaitForRunAsync(Guid runId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(1));
        while (true)
        {
            var status = await ScalarAsync<string>("SELECT status FROM workflow_runs WHERE id = $1", runId);
            if (status is "succeeded" or "failed" or "cancelled" || DateTime.UtcNow > deadline)
            {
                var error = await ScalarAsync<object?>("SELECT error FROM workflow_runs WHERE id = $1", runId);
                return status == "succeeded" ? status : $"{status}: {error}";
            }

            await Task.Delay(100, Cancellation);
        }
    }

    /// <summary>The run's log lines, in order.</summary>
    public async Task<string[]> RunLogAsync(Guid runId) =>
        ((await ScalarAsync<string?>("SELECT string_agg(line, E'\\n' ORDER BY id) FROM workflow_logs WHERE run_id = $1", runId)) ?? "").Split('\n');

    /// <summary>Waits for the run and asserts it succeeded, showing its error and log when it did not.</summary>
    public async Task AssertSucceedsAsync(Guid runId, TimeSpan timeout)
    {
        var outcome = await WaitForRunAsync(runId, timeout);
        Assert.True(outcome == "succeeded", $"{outcome}\n{string.Join('\n', await RunLogAsync(runId))}");
    }

    private async Task<string> CreateIntegrationAsync(string kind, string? projectKey, object settings, string secret)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        using var response = await owner.PostAsJsonAsync("/sfp/api/integrations",
            new { kind, name = $"{kind}-{Guid.NewGuid():n}", projectKey, settings, secret }, Cancellation);
        var body = await response.Content.ReadAsStringAsync(Cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    /// <summary>Signs <paramref name="body"/> as GitHub does (HMAC-SHA256 of the exact bytes) and posts it.</summary>
    public Task<Response> SendGitHubAsync(
        GitHubHook hook, string eventName, byte[] body, string? deliveryId = null, Action<HttpRequestMessage>? adjust = null) =>
        SendAsync(GitHubPath, body, request =>
        {
            request.Headers.Add("X-GitHub-Event", eventName);
            request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
            request.Headers.Add("X-GitHub-Hook-ID", "292430182");
            request.Headers.Add("X-GitHub-Hook-Installation-Target-Type", hook.TargetType);
            request.Headers.Add("X-GitHub-Hook-Installation-Target-ID", hook.TargetId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Hub-Signature-256", Sign(hook.Secret, body));
            request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/044aadd");
            adjust?.Invoke(request);
        });

    /// <summary>Posts a service-hook body with the subscription's basic-auth credentials, as Azure DevOps does.</summary>
    public Task<Response> SendAzureDevOpsAsync(AzureDevOpsHook hook, byte[] body, Action<HttpRequestMessage>? adjust = null) =>
        SendAsync(AzureDevOpsPath, body, request =>
        {
            request.Headers.Authorization = Basic(hook.Username, hook.Password);
            request.Headers.Add("X-VSS-ActivityId", Guid.NewGuid().ToString());
            request.Headers.Add("X-VSS-SubscriptionId", Guid.NewGuid().ToString());
            request.Headers.UserAgent.ParseAdd("VSServices/16.255.35115.1");
            request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
            adjust?.Invoke(request);
        });

    public async Task<Response> SendAsync(string path, byte[] body, Action<HttpRequestMessage> prepare)
    {
        using var client = platform.CreateEdgeClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        prepare(request);
        using var response = await client.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        RecordedResponses.Add(text);
        return new Response(response.StatusCode, text, response.Headers, response.Content.Headers.ContentType?.MediaType);
    }

    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static AuthenticationHeaderValue Basic(string username, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters) =>
        (await Sql.ScalarAsync<T>((await platform.App.GetConnectionStringAsync(ServiceNames.Postgres, Cancellation))!, sql, parameters, Cancellation))!;

    public Task<long> DeliveriesAsync(string provider, string deliveryId) =>
        ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries WHERE provider = $1 AND delivery_id = $2", provider, deliveryId);

    public Task<long> RunsForAsync(string provider, string deliveryId) =>
        ScalarAsync<long>(
            "SELECT count(*) FROM workflow_runs r JOIN webhook_deliveries d ON d.id = r.delivery_id WHERE d.provider = $1 AND d.delivery_id = $2",
            provider, deliveryId);

    /// <summary>Every stored delivery and every run but the platform's own sweeps (their schedules start them at any time).</summary>
    public async Task<(long Deliveries, long Runs)> TotalsAsync() =>
        (await ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries"),
         await ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE workflow <> 'platform-sweep'"));
}

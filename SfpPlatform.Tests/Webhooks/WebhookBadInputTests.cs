using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Webhooks;

/// <summary>
/// Bad deliveries through the edge: each gets its documented status with an RFC 7807 body, and nothing is stored
/// or run (the totals of deliveries and runs do not move).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebhookBadInputTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    private static byte[] Opened => File.ReadAllBytes(Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json"));

    private static byte[] Push => File.ReadAllBytes(Path.Combine(RepositoryPaths.TestData, "azure-devops-hooks", "git.push.json"));

    public static TheoryData<string, int> GitHubCases => new()
    {
        { "no signature", 401 },
        { "signature without sha256= prefix", 401 },
        { "truncated signature", 401 },
        { "signature not hex", 401 },
        { "sha1 signature only", 401 },
        { "wrong secret", 401 },
        { "signature of other bytes", 401 },
        { "body changed after signing", 401 },
        { "unknown hook target", 401 },
        { "no target and no repository", 401 },
        { "no event header", 400 },
        { "no delivery header", 400 },
        { "event header with spaces", 400 },
        { "unknown event", 400 },
        { "malformed json", 400 },
        { "truncated json", 400 },
        { "invalid utf-8", 400 },
        { "json array", 400 },
        { "json null", 400 },
        { "form content type", 415 },
        { "oversized body", 413 },
        { "oversized chunked body", 413 },
        { "huge header", 431 },
    };

    [Theory]
    [MemberData(nameof(GitHubCases))]
    public async Task BadGitHubDelivery_IsRefused_AndLeavesNoTrace(string @case, int expectedStatus)
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var deliveryId = Guid.NewGuid().ToString();
        var body = Opened;
        Action<HttpRequestMessage>? adjust = null;
        var eventName = "pull_request";
        switch (@case)
        {
            case "no signature": adjust = r => r.Headers.Remove("X-Hub-Signature-256"); break;
            case "signature without sha256= prefix": adjust = r => Replace(r, "X-Hub-Signature-256", WebhookTestClient.Sign(hook.Secret, body)[7..]); break;
            case "truncated signature": adjust = r => Replace(r, "X-Hub-Signature-256", WebhookTestClient.Sign(hook.Secret, body)[..40]); break;
            case "signature not hex": adjust = r => Replace(r, "X-Hub-Signature-256", "sha256=" + new string('z', 64)); break;
            case "sha1 signature only":
                adjust = r =>
                {
                    r.Headers.Remove("X-Hub-Signature-256");
                    r.Headers.Add("X-Hub-Signature", "sha1=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA1.HashData(Encoding.UTF8.GetBytes(hook.Secret), body)));
                };
                break;
            case "wrong secret": adjust = r => Replace(r, "X-Hub-Signature-256", WebhookTestClient.Sign(hook.Secret + "x", body)); break;
            case "signature of other bytes": adjust = r => Replace(r, "X-Hub-Signature-256", WebhookTestClient.Sign(hook.Secret, [.. body, (byte)' '])); break;
            case "body changed after signing":
                var signature = WebhookTestClient.Sign(hook.Secret, body);
                body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"opened\"", "\"closed\"", StringComparison.Ordinal));
                adjust = r => Replace(r, "X-Hub-Signature-256", signature);
                break;
            case "unknown hook target": adjust = r => Replace(r, "X-GitHub-Hook-Installation-Target-ID", "1"); break;
            case "no target and no repository":
                body = """{"action":"created","zen":"Keep it logically awesome."}"""u8.ToArray();
                adjust = r => { r.Headers.Remove("X-GitHub-Hook-Installation-Target-ID"); r.Headers.Remove("X-GitHub-Hook-Installation-Target-Type"); };
                break;
            case "no event header": adjust = r => r.Headers.Remove("X-GitHub-Event"); break;
            case "no delivery header": adjust = r => r.Headers.Remove("X-GitHub-Delivery"); break;
            case "event header with spaces": eventName = "pull request"; break;
            case "unknown event": eventName = "pull_request_party"; break;
            case "malformed json": body = """{"action": "opened", "number": 1,,}"""u8.ToArray(); break;
            case "truncated json": body = body[..(body.Length / 2)]; break;
            case "invalid utf-8": body = [.. """{"action":"opened","title":" """u8, 0xC3, 0x28, .. "\"}"u8]; break;
            case "json array": body = "[]"u8.ToArray(); break;
            case "json null": body = "null"u8.ToArray(); break;
            case "form content type":
                adjust = r => r.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
                break;
            case "oversized body":
                body = new byte[(25 * 1024 * 1024) + 1];
                Array.Fill(body, (byte)' ');
                body[0] = (byte)'{';
                body[^1] = (byte)'}';
                // As a proxy-aware client would: the refusal comes before the 25 MB are sent.
                adjust = r => r.Headers.ExpectContinue = true;
                break;
            case "oversized chunked body":
                // No Content-Length, so nothing can refuse it up front: the edge stops forwarding at the limit.
                body = new byte[(25 * 1024 * 1024) + 1];
                adjust = r =>
                {
                    var headers = r.Content!.Headers;
                    r.Content = new StreamContent(new MemoryStream(body));
                    r.Content.Headers.ContentType = headers.ContentType;
                    r.Headers.TransferEncodingChunked = true;
                };
                break;
            case "huge header": adjust = r => r.Headers.Add("X-Padding", new string('a', 64 * 1024)); break;
            default: throw new ArgumentOutOfRangeException(nameof(@case));
        }

        var before = await _webhooks.TotalsAsync();
        var response = await _webhooks.SendGitHubAsync(hook, eventName, body, deliveryId, adjust);

        Assert.True((int)response.Status == expectedStatus, $"{@case}: expected {expectedStatus}, got {(int)response.Status} {response.Body}");
        if (@case is not ("huge header" or "oversized body" or "oversized chunked body"))
        {
            // The edge refuses oversized bodies and huge headers itself (empty, as Caddy does); everything else is
            // the Api's problem document.
            Assert.Equal("application/problem+json", response.ContentType);
            Assert.False(string.IsNullOrWhiteSpace(response.Text("detail")), response.Body);
        }

        Assert.DoesNotContain(hook.Secret, response.Body, StringComparison.Ordinal);
        Assert.Equal(0, await _webhooks.DeliveriesAsync("github", deliveryId));
        Assert.Equal(before, await _webhooks.TotalsAsync());
        ReliabilityReport.Record(ReliabilityReport.BadInput, "GitHub webhook deliveries", ("cases", 1), ($"answered {expectedStatus}", 1), ("rows added", 0));
    }

    public static TheoryData<string, int> AzureDevOpsCases => new()
    {
        { "no credentials", 401 },
        { "bearer instead of basic", 401 },
        { "wrong password", 401 },
        { "unknown user", 401 },
        { "password of another hook", 401 },
        { "basic auth not base64", 401 },
        { "malformed json", 400 },
        { "invalid utf-8", 400 },
        { "no id", 400 },
        { "no eventType", 400 },
        { "oversized body", 413 },
    };

    [Theory]
    [MemberData(nameof(AzureDevOpsCases))]
    public async Task BadAzureDevOpsDelivery_IsRefused_AndLeavesNoTrace(string @case, int expectedStatus)
    {
        var hook = await _webhooks.RegisterAzureDevOpsAsync();
        var other = await _webhooks.RegisterAzureDevOpsAsync();
        var id = Guid.NewGuid().ToString();
        var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Push).Replace("03c164c2-8912-4d5e-8009-3707d5f83734", id, StringComparison.Ordinal));
        Action<HttpRequestMessage>? adjust = null;
        switch (@case)
        {
            case "no credentials": adjust = r => r.Headers.Authorization = null; break;
            case "bearer instead of basic": adjust = r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", hook.Password); break;
            case "wrong password": adjust = r => r.Headers.Authorization = WebhookTestClient.Basic(hook.Username, hook.Password + "x"); break;
            case "unknown user": adjust = r => r.Headers.Authorization = WebhookTestClient.Basic("nobody-" + hook.Username, hook.Password); break;
            case "password of another hook": adjust = r => r.Headers.Authorization = WebhookTestClient.Basic(hook.Username, other.Password); break;
            case "basic auth not base64": adjust = r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", "!!not-base64!!"); break;
            case "malformed json": body = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","eventType":"git.push",}"""); break;
            case "invalid utf-8": body = [.. Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","eventType":"git.push","x":" """), 0xFF, .. "\"}"u8]; break;
            case "no id": body = """{"eventType":"git.push","resource":{}}"""u8.ToArray(); break;
            case "no eventType": body = Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\",\"resource\":{}}"); break;
            case "oversized body":
                body = new byte[(25 * 1024 * 1024) + 10];
                adjust = r => r.Headers.ExpectContinue = true;
                break;
            default: throw new ArgumentOutOfRangeException(nameof(@case));
        }

        var before = await _webhooks.TotalsAsync();
        var response = await _webhooks.SendAzureDevOpsAsync(hook, body, adjust);

        Assert.True((int)response.Status == expectedStatus, $"{@case}: expected {expectedStatus}, got {(int)response.Status} {response.Body}");
        if (@case != "oversized body")
        {
            Assert.Equal("application/problem+json", response.ContentType);
        }

        if (expectedStatus == 401)
        {
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        }

        Assert.DoesNotContain(hook.Password, response.Body, StringComparison.Ordinal);
        Assert.Equal(0, await _webhooks.DeliveriesAsync("azure-devops", id));
        Assert.Equal(before, await _webhooks.TotalsAsync());
        ReliabilityReport.Record(ReliabilityReport.BadInput, "Azure DevOps webhook deliveries", ("cases", 1), ($"answered {expectedStatus}", 1), ("rows added", 0));
    }

    [Fact]
    public async Task DuplicateDelivery_SentConcurrently_IsStoredAndRunOnce()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var deliveryId = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _webhooks.SendGitHubAsync(hook, "pull_request", Opened, deliveryId)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Single(responses, r => r.Text("status") == "routed");
        Assert.Equal(11, responses.Count(r => r.Text("status") == "duplicate"));
        Assert.Equal(1, await _webhooks.DeliveriesAsync("github", deliveryId));
        Assert.Equal(1, await _webhooks.RunsForAsync("github", deliveryId));
    }

    [Fact]
    public async Task SignedPayloadThatDoesNotFitItsEvent_IsKept_ButNotRouted()
    {
        // Authentic (signed) but not what GitHub's pull_request schema says: never lost, never run.
        var hook = await _webhooks.RegisterGitHubAsync();
        var deliveryId = Guid.NewGuid().ToString();
        var body = """{"action":"opened","number":"one","pull_request":42}"""u8.ToArray();

        var response = await _webhooks.SendGitHubAsync(hook, "pull_request", body, deliveryId);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("ignored", response.Text("status"));
        Assert.Contains("does not match GitHub's schema", response.Text("reason"), StringComparison.Ordinal);
        Assert.Equal(1, await _webhooks.DeliveriesAsync("github", deliveryId));
        Assert.Equal(0, await _webhooks.RunsForAsync("github", deliveryId));
    }

    [Fact]
    public async Task Ping_IsAcknowledged()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        var ping = File.ReadAllBytes(Path.Combine(RepositoryPaths.TestData, "github-webhooks", "ping", "with-app_id.payload.json"));

        var response = await _webhooks.SendGitHubAsync(hook, "ping", ping);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("ignored", response.Text("status"));
        Assert.Null(response.Text("runId"));
    }

    [Fact]
    public async Task RotatedWebhookSecret_IsUsedAtOnce()
    {
        var hook = await _webhooks.RegisterGitHubAsync();
        Assert.Equal(HttpStatusCode.OK, (await _webhooks.SendGitHubAsync(hook, "pull_request", Opened)).Status);

        var newSecret = TestSecrets.Token("whsec");
        using var owner = await platform.ClientAsync(Caller.Owner);
        using var rotate = await owner.PostAsync($"/sfp/api/integrations/{hook.IntegrationId}/rotate",
            new StringContent($$"""{"secret":"{{newSecret}}"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _webhooks.SendGitHubAsync(hook, "pull_request", Opened)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _webhooks.SendGitHubAsync(hook with { Secret = newSecret }, "pull_request", Opened)).Status);
    }

    private static void Replace(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
    }
}

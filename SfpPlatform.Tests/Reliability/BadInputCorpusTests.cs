using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Reliability;

/// <summary>
/// Malformed and hostile requests to the owner-facing endpoints (integrations, deliveries, runs, routing rules)
/// through the edge: wrong types, missing fields, invalid UTF-8, oversized bodies and headers, path tricks, SQL and
/// script payloads in every string field. Each gets its documented answer and writes nothing; a hostile string that
/// is a valid value (a name) is stored verbatim, as inert text.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BadInputCorpusTests(PlatformAppFixture platform)
{
    private const string Sql = "x'); DROP TABLE integrations; --";
    private const string Script = "<script>alert(document.cookie)</script>";

    private readonly WebhookTestClient _webhooks = new(platform);

    public static TheoryData<string, string, string, string?, int> Cases()
    {
        var pat = new JsonObject { ["kind"] = "azure-devops-pat", ["name"] = "ado", ["settings"] = new JsonObject { ["organizationUrl"] = "https://dev.azure.com/contoso" }, ["secret"] = "abcdef0123456789" };
        string With(Action<JsonObject> change)
        {
            var copy = pat.DeepClone().AsObject();
            change(copy);
            return copy.ToJsonString();
        }

        var data = new TheoryData<string, string, string, string?, int>
        {
            // Integrations: types, missing fields, encodings, sizes.
            { "integration: empty object", "POST", "/sfp/api/integrations", "{}", 400 },
            { "integration: kind is a number", "POST", "/sfp/api/integrations", With(o => o["kind"] = 7), 400 },
            { "integration: name is an object", "POST", "/sfp/api/integrations", With(o => o["name"] = new JsonObject()), 400 },
            { "integration: settings is a string", "POST", "/sfp/api/integrations", With(o => o["settings"] = "organizationUrl"), 400 },
            { "integration: no secret", "POST", "/sfp/api/integrations", With(o => o.Remove("secret")), 400 },
            { "integration: malformed json", "POST", "/sfp/api/integrations", "{\"kind\": \"github-pat\",", 400 },
            { "integration: json array", "POST", "/sfp/api/integrations", "[]", 400 },
            { "integration: invalid utf-8", "POST", "/sfp/api/integrations", "INVALID-UTF8", 400 },
            { "integration: unknown setting", "POST", "/sfp/api/integrations", With(o => o["settings"]!["extra"] = "x"), 400 },
            { "integration: oversized body", "POST", "/sfp/api/integrations", "OVERSIZED", 413 },
            { "integration: huge header", "POST", "/sfp/api/integrations", "HUGE-HEADER", 431 },
            // SQL and script payloads in every string field that has a format.
            { "integration: SQL in kind", "POST", "/sfp/api/integrations", With(o => o["kind"] = Sql), 400 },
            { "integration: script in kind", "POST", "/sfp/api/integrations", With(o => o["kind"] = Script), 400 },
            { "integration: SQL in project key", "POST", "/sfp/api/integrations", With(o => o["projectKey"] = Sql), 400 },
            { "integration: script in project key", "POST", "/sfp/api/integrations", With(o => o["projectKey"] = Script), 400 },
            { "integration: SQL in organisation URL", "POST", "/sfp/api/integrations", With(o => o["settings"]!["organizationUrl"] = "https://dev.azure.com/" + Sql), 400 },
            { "integration: script in organisation URL", "POST", "/sfp/api/integrations", With(o => o["settings"]!["organizationUrl"] = "javascript:" + Script), 400 },
            { "integration: SQL in secret", "POST", "/sfp/api/integrations", With(o => o["secret"] = Sql), 400 },
            { "integration: control characters in name", "POST", "/sfp/api/integrations", With(o => o["name"] = "a\u0000b"), 400 },
            // Path tricks.
            { "path: traversal in an id", "GET", "/sfp/api/integrations/..%2F..%2Fetc%2Fpasswd", null, 400 },
            { "path: SQL in an id", "GET", "/sfp/api/integrations/1%20OR%201%3D1", null, 404 },
            { "path: NUL in an id", "DELETE", "/sfp/api/integrations/%00", null, 400 },
            { "path: SQL in a project key", "PUT", "/sfp/api/webhooks/routing-rules/x'%20OR%20'1'%3D'1", """{"rules":[]}""", 400 },
            { "path: script in a project key", "GET", "/sfp/api/webhooks/routing-rules/%3Cscript%3E", null, 400 },
            { "path: unknown delivery replayed", "POST", $"/sfp/api/webhooks/deliveries/{Guid.Empty}/replay", null, 404 },
            { "path: unknown run cancelled", "POST", $"/sfp/api/runs/{Guid.Empty}/cancel", null, 404 },
            // Query strings.
            { "deliveries: SQL in provider", "GET", "/sfp/api/webhooks/deliveries?provider=github'%20OR%201%3D1--", null, 400 },
            { "deliveries: script in status", "GET", "/sfp/api/webhooks/deliveries?status=%3Cscript%3E", null, 400 },
            { "deliveries: page size a word", "GET", "/sfp/api/webhooks/deliveries?pageSize=all", null, 400 },
            { "runs: SQL in workflow", "GET", "/sfp/api/runs?workflow=validate'%3B%20DROP%20TABLE%20workflow_runs%3B--", null, 400 },
            { "runs: negative page", "GET", "/sfp/api/runs?pageIndex=-5", null, 400 },
            { "runs: log after a word", "GET", $"/sfp/api/runs/{Guid.Empty}/logs?afterId=last", null, 400 },
            // Routing rules.
            { "rules: not an array", "PUT", "/sfp/api/webhooks/routing-rules/bad-input", """{"rules":"push → build"}""", 400 },
            { "rules: SQL as a workflow", "PUT", "/sfp/api/webhooks/routing-rules/bad-input", $$"""{"rules":[{"event":"push","workflow":"{{Sql}}"}]}""", 400 },
            { "rules: script as an event", "PUT", "/sfp/api/webhooks/routing-rules/bad-input", $$"""{"rules":[{"event":"{{Script}}","workflow":"build"}]}""", 400 },
            { "rules: branches a number", "PUT", "/sfp/api/webhooks/routing-rules/bad-input", """{"rules":[{"event":"push","branches":5,"workflow":"build"}]}""", 400 },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileRequest_GetsItsDocumentedAnswer_AndWritesNothing(string @case, string method, string path, string? body, int expected)
    {
        var before = await CountsAsync();
        using var owner = await platform.ClientAsync(Caller.Owner);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            var bytes = body switch
            {
                "INVALID-UTF8" => [(byte)'{', (byte)'"', (byte)'n', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'],
                "OVERSIZED" => new byte[(25 * 1024 * 1024) + 1],
                _ => Encoding.UTF8.GetBytes(body),
            };
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (body == "OVERSIZED")
            {
                request.Headers.ExpectContinue = true;
            }
        }

        if (body == "HUGE-HEADER")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            request.Headers.Add("X-Padding", new string('a', 64 * 1024));
        }

        using var response = await owner.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        RecordedResponses.Add(text);

        Assert.True((int)response.StatusCode == expected, $"{@case}: expected {expected}, got {(int)response.StatusCode} {text}");
        if (expected is 400 && text.Length > 0)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // A refusal that quotes the input is JSON (or empty), never a page a browser would render.
        Assert.True(text.Length == 0 || response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json",
            $"{@case}: {response.Content.Headers.ContentType}");
        Assert.Equal(before, await CountsAsync());
        var section = @case.Contains("SQL", StringComparison.Ordinal) || @case.Contains("script", StringComparison.Ordinal)
            ? "SQL and script payloads in every string field"
            : "Integrations, deliveries, runs and routing rules";
        ReliabilityReport.Record(ReliabilityReport.BadInput, section, ("cases", 1), ($"answered {expected}", 1), ("rows written", 0));
    }

    [Theory]
    [InlineData(Sql, "name")]
    [InlineData(Script, "name")]
    [InlineData("Robert'); DELETE FROM webhook_deliveries; --", "name")]
    [InlineData(Script, "secret")]
    public async Task HostileValue_ThatIsValid_IsStoredVerbatimAsInertText(string value, string field)
    {
        var name = field == "name" ? value : "inert-" + Guid.NewGuid().ToString("n")[..8];
        using var owner = await platform.ClientAsync(Caller.Owner);
        var deliveries = await _webhooks.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries");
        using var created = await owner.PostAsync("/sfp/api/integrations", new StringContent(new JsonObject
        {
            ["kind"] = "github-pat", ["name"] = name, ["settings"] = new JsonObject(),
            ["secret"] = field == "secret" ? TestSecrets.Remember(value + Guid.NewGuid().ToString("n")) : TestSecrets.Token("ghp"),
        }.ToJsonString(), Encoding.UTF8, "application/json"), Cancellation);
        var text = await created.Content.ReadAsStringAsync(Cancellation);
        RecordedResponses.Add(text);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = Guid.Parse(JsonNode.Parse(text)!["id"]!.GetValue<string>());
        Assert.Equal(name, await _webhooks.ScalarAsync<string>("SELECT name FROM integrations WHERE id = $1", id));
        Assert.Equal("application/json", created.Content.Headers.ContentType?.MediaType);   // data, never a page
        Assert.True(await _webhooks.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries") >= deliveries);   // no table touched
        ReliabilityReport.Record(ReliabilityReport.BadInput, "SQL and script payloads in every string field", ("cases", 1), ("stored verbatim, inert", 1));
    }

    /// <summary>What these endpoints could write (runs and the credential audit are left out: workers add to them on their own schedule).</summary>
    private async Task<(long Integrations, long Rules, long Deliveries)> CountsAsync() => (
        await _webhooks.ScalarAsync<long>("SELECT count(*) FROM integrations"),
        await _webhooks.ScalarAsync<long>("SELECT count(*) FROM routing_rule_sets"),
        await _webhooks.ScalarAsync<long>("SELECT count(*) FROM webhook_deliveries"));
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using SfpPlatform.Topology;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Integrations;

/// <summary>The integration API through the edge, against the whole stack.</summary>
[Collection(PlatformCollection.Name)]
public sealed class IntegrationsApiTests(PlatformAppFixture platform)
{

    private static readonly string[] AllKinds =
        ["github-app", "github-pat", "azure-devops-pat", "salesforce-jwt", "salesforce-auth-url", "github-webhook", "azure-devops-webhook"];

    public static TheoryData<string> Kinds => [.. AllKinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Integration_IsRegisteredListedUpdatedRotatedAndDeleted(string kind)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var (settings, secret) = ValidFor(kind);
        var name = $"{kind}-{Guid.NewGuid():n}";

        var created = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", new { kind, name, settings, secret });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var id = created.Json!["id"]!.GetValue<string>();
        Assert.Equal($"/sfp/api/integrations/{id}", created.Location);
        Assert.Equal(Fingerprint(secret), created.Json["secretFingerprint"]!.GetValue<string>());
        Assert.Equal(kind, created.Json["kind"]!.GetValue<string>());

        var list = await SendAsync(owner, HttpMethod.Get, $"/sfp/api/integrations?kind={kind}");
        Assert.Contains(list.Json!.AsArray(), i => i!["id"]!.GetValue<string>() == id);

        var fetched = await SendAsync(owner, HttpMethod.Get, $"/sfp/api/integrations/{id}");
        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Null(fetched.Json!["secret"]);

        var renamed = await SendAsync(owner, HttpMethod.Put, $"/sfp/api/integrations/{id}", new { name = name + "-renamed", settings });
        Assert.Equal(HttpStatusCode.OK, renamed.Status);
        Assert.Equal(name + "-renamed", renamed.Json!["name"]!.GetValue<string>());

        var (_, newSecret) = ValidFor(kind);
        var rotated = await SendAsync(owner, HttpMethod.Post, $"/sfp/api/integrations/{id}/rotate", new { secret = newSecret });
        Assert.Equal(HttpStatusCode.OK, rotated.Status);
        Assert.Equal(Fingerprint(newSecret), rotated.Json!["secretFingerprint"]!.GetValue<string>());
        Assert.Equal(await StoredFingerprintAsync(id), Fingerprint(newSecret));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(owner, HttpMethod.Delete, $"/sfp/api/integrations/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(owner, HttpMethod.Get, $"/sfp/api/integrations/{id}")).Status);
    }

    public static TheoryData<string, string, string?, string> InvalidInputs() => new()
    {
        // kind, settings (JSON), secret (null: a valid one for the kind), the field the error names
        { "", "{}", "x", "kind" },
        { "gitlab-pat", "{}", "x", "kind" },
        { "github-app", "{}", null, "settings.appId" },
        { "github-app", """{"appId":"12"}""", null, "settings.appId" },
        { "github-app", """{"appId":-1}""", null, "settings.appId" },
        { "github-app", """{"appId":12,"installationIds":[1,"x"]}""", null, "settings.installationIds" },
        { "github-app", """{"appId":12}""", "not a pem", "secret" },
        { "github-app", """{"appId":12}""", "PUBLIC-KEY", "secret" },
        { "github-app", """{"appId":12}""", "SMALL-KEY", "secret" },
        { "github-pat", """{"color":"blue"}""", null, "settings.color" },
        { "github-pat", """{"baseUrl":"http://github.example.com"}""", null, "settings.baseUrl" },
        { "github-pat", "{}", "has space", "secret" },
        { "github-pat", "{}", "", "secret" },
        { "azure-devops-pat", "{}", null, "settings.organizationUrl" },
        { "azure-devops-pat", """{"organizationUrl":"https://dev.azure.com/"}""", null, "settings.organizationUrl" },
        { "azure-devops-pat", """{"organizationUrl":"https://evil.example.com/contoso"}""", null, "settings.organizationUrl" },
        { "azure-devops-pat", """{"organizationUrl":"https://dev.azure.com.evil.example.com/contoso"}""", null, "settings.organizationUrl" },
        { "azure-devops-pat", """{"organizationUrl":"http://dev.azure.com/contoso"}""", null, "settings.organizationUrl" },
        { "azure-devops-pat", """{"organizationUrl":"https://dev.azure.com/contoso?x=1"}""", null, "settings.organizationUrl" },
        { "azure-devops-pat", """{"organizationUrl":12}""", null, "settings.organizationUrl" },
        { "salesforce-jwt", """{"loginUrl":"https://login.salesforce.com.evil.com","username":"u","consumerKey":"k"}""", null, "settings.loginUrl" },
        { "salesforce-jwt", """{"loginUrl":"https://login.salesforce.com","consumerKey":"k"}""", null, "settings.username" },
        { "salesforce-jwt", """{"loginUrl":"https://login.salesforce.com","username":"u"}""", null, "settings.consumerKey" },
        { "salesforce-jwt", """{"loginUrl":"https://x.my.salesforce.com","username":"u","consumerKey":"k","instanceUrl":"https://127.0.0.1"}""", null, "settings.instanceUrl" },
        { "salesforce-auth-url", "{}", "force://only@login.salesforce.com", "secret" },
        { "salesforce-auth-url", "{}", "https://id:secret:token@login.salesforce.com", "secret" },
        { "salesforce-auth-url", "{}", "force://id:secret:token@evil.example.com", "secret" },
        { "salesforce-auth-url", "[]", null, "settings" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task InvalidInput_Gets400NamingTheField_AndStoresNothing(string kind, string settingsJson, string? secret, string field)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var name = "invalid-" + Guid.NewGuid().ToString("n");
        secret = secret switch
        {
            null => ValidFor(kind.Length == 0 ? "github-pat" : kind).Secret,
            "PUBLIC-KEY" => PublicKeyPem(),
            "SMALL-KEY" => SmallKeyPem(),
            _ => secret,
        };

        var response = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations",
            new { kind, name, settings = JsonNode.Parse(settingsJson), secret });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
        var errors = response.Json!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"expected an error for {field}, got: {errors.ToJsonString()}");
        Assert.Equal(0L, await CountByNameAsync(name));
    }

    public static TheoryData<string, string?, string> UnreadableBodies() => new()
    {
        // raw body, the field the error names (null: the body as a whole), content type
        { """{"kind":"github-pat","name":123,"settings":{},"secret":"x"}""", "name", "application/json" },
        { """{"kind":["github-pat"],"name":"a","settings":{},"secret":"x"}""", "kind", "application/json" },
        { """{"kind":"github-pat","name":"a","settings":{},"secret":{"token":"x"}}""", "secret", "application/json" },
        { """{"kind":"github-pat","name":"a","settings":{},"secret":""", "secret", "application/json" },
        { "not json", null, "application/json" },
        { "", null, "application/json" },
        { "[]", null, "application/json" },
        { "\xff\xfe{}", null, "application/json" },
        { """{"kind":"github-pat","name":"a","settings":{},"secret":"x"}""", null, "text/plain" },
    };

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task UnreadableBody_Gets4xxProblemDetails_AndStoresNothing(string body, string? field, string contentType)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var before = await ScalarAsync<long>("SELECT count(*) FROM integrations");
        var bytes = body.StartsWith("\\xff", StringComparison.Ordinal)
            ? [0xff, 0xfe, (byte)'{', (byte)'}']
            : Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sfp/api/integrations") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await owner.SendAsync(request, Cancellation);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancellation))!;

        Assert.Equal(contentType == "application/json" ? HttpStatusCode.BadRequest : HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem["field"]?.GetValue<string>());
        if (contentType == "application/json")
        {
            Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        }

        Assert.Equal(before, await ScalarAsync<long>("SELECT count(*) FROM integrations"));
    }

    [Theory]
    [InlineData("azure-devops-pat", """{"organizationUrl":"https://contoso.visualstudio.com"}""")]
    [InlineData("azure-devops-pat", """{"organizationUrl":"https://dev.azure.com/contoso/"}""")]
    [InlineData("salesforce-jwt", """{"loginUrl":"https://test.salesforce.com","username":"u@example.com","consumerKey":"3MVG9"}""")]
    [InlineData("salesforce-jwt", """{"loginUrl":"https://acme--uat.sandbox.my.salesforce.com","username":"u","consumerKey":"k"}""")]
    [InlineData("github-pat", """{"baseUrl":"https://github.example.com"}""")]
    public async Task AllowedUrlPatterns_AreAccepted(string kind, string settingsJson)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var response = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations",
            new { kind, name = "ok-" + Guid.NewGuid().ToString("n"), settings = JsonNode.Parse(settingsJson), ValidFor(kind).Secret });
        if (settingsJson.Contains("sandbox.my.salesforce", StringComparison.Ordinal))
        {
            // {name} is one DNS label: a dotted sandbox domain is not one of the default patterns.
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            return;
        }

        Assert.Equal(HttpStatusCode.Created, response.Status);
    }

    [Fact]
    public async Task SameName_InTheSameScope_Conflicts_ButNotAcrossScopes()
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var name = "dup-" + Guid.NewGuid().ToString("n");
        object Body(string? projectKey) => new { kind = "github-pat", name, projectKey, settings = new { }, secret = TestSecrets.Token() };

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", Body(null))).Status);
        var duplicate = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", Body(null));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("name", duplicate.Json!["field"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", Body("proj-a"))).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", Body("proj-a"))).Status);
    }

    [Fact]
    public async Task ListForAProject_ShowsItsOwnAndGlobalIntegrations()
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var project = "p" + Guid.NewGuid().ToString("n")[..8];
        var other = "q" + Guid.NewGuid().ToString("n")[..8];
        foreach (var scope in new[] { project, other })
        {
            await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations",
                new { kind = "github-pat", name = "scoped", projectKey = scope, settings = new { }, secret = TestSecrets.Token() });
        }

        var list = await SendAsync(owner, HttpMethod.Get, $"/sfp/api/integrations?projectKey={project}");

        var scopes = list.Json!.AsArray().Select(i => i!["projectKey"]?.GetValue<string>()).ToList();
        Assert.Contains(project, scopes);
        Assert.DoesNotContain(other, scopes);
        Assert.All(scopes, s => Assert.True(s is null || s == project));
    }

    public static TheoryData<string, string, Caller, int> RoleMatrix()
    {
        var data = new TheoryData<string, string, Caller, int>();
        var endpoints = new (string Method, string Path, bool Manage)[]
        {
            ("GET", "/sfp/api/integrations", false),
            ("GET", "/sfp/api/integrations/{id}", false),
            ("POST", "/sfp/api/integrations", true),
            ("PUT", "/sfp/api/integrations/{id}", true),
            ("POST", "/sfp/api/integrations/{id}/rotate", true),
            ("POST", "/sfp/api/integrations/{id}/test", true),
            ("DELETE", "/sfp/api/integrations/{id}", true),
        };
        foreach (var (method, path, manage) in endpoints)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add(method, path, caller, PlatformCallers.Expected(caller, manage));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoleMatrix))]
    public async Task Endpoint_AdmitsOnlyTheRightRoles(string method, string path, Caller caller, int expected)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var created = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations",
            new { kind = "azure-devops-pat", name = "matrix-" + Guid.NewGuid().ToString("n"), settings = new { organizationUrl = $"{platform.Providers.BaseUrl}/contoso" }, secret = TestSecrets.Token() });
        var id = created.Json!["id"]!.GetValue<string>();
        object? body = method switch
        {
            "POST" when path.EndsWith("/rotate", StringComparison.Ordinal) => new { secret = TestSecrets.Token() },
            "POST" when path.EndsWith("/test", StringComparison.Ordinal) => null,
            "POST" => new { kind = "github-pat", name = "m-" + Guid.NewGuid().ToString("n"), settings = new { }, secret = TestSecrets.Token() },
            "PUT" => new { name = "renamed-" + Guid.NewGuid().ToString("n"), settings = new { organizationUrl = $"{platform.Providers.BaseUrl}/contoso" } },
            _ => null,
        };

        using var client = await platform.ClientAsync(caller);
        var response = await SendAsync(client, new HttpMethod(method), path.Replace("{id}", id, StringComparison.Ordinal), body);

        if (expected == 0)
        {
            Assert.True((int)response.Status is >= 200 and < 300, $"{caller} {method} {path}: {(int)response.Status}");
        }
        else
        {
            Assert.Equal(expected, (int)response.Status);
            Assert.Equal("application/problem+json", response.ContentType);
        }

        ReliabilityReport.Record(ReliabilityReport.Access, "Role matrix of every Api endpoint",
            ("checks", 1), (expected == 0 ? "admitted" : $"refused {expected}", 1));
    }

    [Fact]
    public async Task TestConnection_UsesTheStoredCredentialAgainstTheProvider()
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var created = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", new
        {
            kind = "github-pat",
            name = "ghes-" + Guid.NewGuid().ToString("n"),
            settings = new { baseUrl = platform.Providers.BaseUrl },
            secret = platform.Providers.GitHubToken,
        });
        var id = created.Json!["id"]!.GetValue<string>();

        var good = await SendAsync(owner, HttpMethod.Post, $"/sfp/api/integrations/{id}/test");
        await SendAsync(owner, HttpMethod.Post, $"/sfp/api/integrations/{id}/rotate", new { secret = TestSecrets.Token("ghp") });
        var bad = await SendAsync(owner, HttpMethod.Post, $"/sfp/api/integrations/{id}/test");

        Assert.True(good.Json!["ok"]!.GetValue<bool>(), good.Body);
        Assert.False(bad.Json!["ok"]!.GetValue<bool>());
        Assert.Contains("401", bad.Json["detail"]!.GetValue<string>());
        Assert.Equal(2L, await ScalarAsync<long>(
            "SELECT count(*) FROM credential_audit WHERE integration_id = $1 AND purpose = 'test-connection' AND outcome = 'decrypted'", Guid.Parse(id)));
    }

    [Fact]
    public async Task TestConnection_ForAzureDevOps_SendsThePatAsBasicAuth()
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var created = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", new
        {
            kind = "azure-devops-pat",
            name = "ado-" + Guid.NewGuid().ToString("n"),
            settings = new { organizationUrl = $"{platform.Providers.BaseUrl}/contoso" },
            secret = platform.Providers.AzureDevOpsPat,
        });

        var result = await SendAsync(owner, HttpMethod.Post, $"/sfp/api/integrations/{created.Json!["id"]}/test");

        Assert.True(result.Json!["ok"]!.GetValue<bool>(), result.Body);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TestConnection_ForSalesforceJwt_SignsInThroughTheProviderLayer(bool rightKey)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        using var other = RSA.Create(2048);
        var saas = platform.Saas;
        var created = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", new
        {
            kind = "salesforce-jwt",
            name = "sf-" + Guid.NewGuid().ToString("n"),
            settings = new { loginUrl = saas.BaseUrl.AbsoluteUri.TrimEnd('/'), username = saas.Username, consumerKey = saas.ConsumerKey },
            secret = (rightKey ? saas.ConnectedAppKey : other).ExportRSAPrivateKeyPem(),
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);

        var result = await SendAsync(owner, HttpMethod.Post, $"/sfp/api/integrations/{created.Json!["id"]}/test");

        Assert.Equal(rightKey, result.Json!["ok"]!.GetValue<bool>());
        if (!rightKey)
        {
            Assert.Contains("invalid_grant", result.Json["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheIntegrationEndpoints()
    {
        using var anonymous = platform.CreateEdgeClient();
        var document = await anonymous.GetStringAsync("/sfp/api/openapi/v1.json", Cancellation);
        using var json = JsonDocument.Parse(document);
        var paths = json.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/sfp/api/integrations", out _));
        Assert.True(paths.TryGetProperty("/sfp/api/integrations/{id}/rotate", out _));
    }

    [Fact]
    public async Task NoSecret_AppearsInTheDatabaseDump_Logs_Traces_OrResponses()
    {
        // Exercise every kind, decryptions (test connection, against the loopback stand-ins only) and a failed
        // validation, so the scans have something to find.
        using var owner = await platform.ClientAsync(Caller.Owner);
        foreach (var kind in AllKinds)
        {
            var (settings, secret) = ValidFor(kind);
            var created = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", new { kind, name = "leak-" + Guid.NewGuid().ToString("n"), settings, secret });
            Assert.Equal(HttpStatusCode.Created, created.Status);
        }

        foreach (var (kind, settings, secret) in new (string, object, string)[]
        {
            ("github-pat", new { baseUrl = platform.Providers.BaseUrl }, platform.Providers.GitHubToken),
            ("github-pat", new { baseUrl = platform.Providers.BaseUrl }, TestSecrets.Token("ghp")),
            ("azure-devops-pat", new { organizationUrl = $"{platform.Providers.BaseUrl}/contoso" }, platform.Providers.AzureDevOpsPat),
        })
        {
            var created = await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations", new { kind, name = "leak-" + Guid.NewGuid().ToString("n"), settings, secret });
            var tested = await SendAsync(owner, HttpMethod.Post, $"/sfp/api/integrations/{created.Json!["id"]}/test");
            Assert.Equal(HttpStatusCode.OK, tested.Status);
        }

        await SendAsync(owner, HttpMethod.Post, "/sfp/api/integrations",
            new { kind = "github-pat", name = "leak-bad", settings = new { }, secret = TestSecrets.Remember("bad secret " + Guid.NewGuid()) });
        await Task.Delay(TimeSpan.FromSeconds(2), Cancellation); // let logs and spans flush

        Assert.NotEmpty(TestSecrets.All);
        Assert.Empty(TestSecrets.FoundIn(await platform.DatabaseDumpAsync()));
        Assert.Contains(platform.Logs, l => l.StartsWith("SfpPlatform.AppHost.Resources.api:", StringComparison.Ordinal));
        Assert.Empty(TestSecrets.FoundIn(string.Join('\n', platform.Logs)));
        var spans = string.Join('\n', platform.Traces.Spans.SelectMany(s => s.Attributes.Values.Append(s.Name)));
        Assert.Empty(TestSecrets.FoundIn(spans));
        Assert.Empty(TestSecrets.FoundIn(RecordedResponses.All));
    }

    private sealed record ApiResponse(HttpStatusCode Status, string Body, string? ContentType, string? Location)
    {
        public JsonNode? Json => Body.Length == 0 ? null : JsonNode.Parse(Body);
    }

    private static async Task<ApiResponse> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        RecordedResponses.Add(text);
        return new ApiResponse(response.StatusCode, text, response.Content.Headers.ContentType?.MediaType, response.Headers.Location?.OriginalString);
    }

    private static (object Settings, string Secret) ValidFor(string kind) => kind switch
    {
        "github-app" => (new { appId = 123456, clientId = "Iv1.abc", installationIds = new[] { 42 } }, TestSecrets.RsaPrivateKeyPem()),
        "github-pat" => (new { }, TestSecrets.Token("ghp")),
        "azure-devops-pat" => (new { organizationUrl = "https://dev.azure.com/contoso" }, TestSecrets.Token("ado")),
        "salesforce-jwt" => (new { loginUrl = "https://login.salesforce.com", username = "ci@example.com", consumerKey = "3MVG9abc" }, TestSecrets.RsaPrivateKeyPem()),
        "salesforce-auth-url" => (new { }, TestSecrets.SalesforceAuthUrl()),
        "github-webhook" => (new { targetType = "integration", targetId = 123456 }, TestSecrets.Token("whsec")),
        "azure-devops-webhook" => (new { username = "service-hooks" }, TestSecrets.Token("hook")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string Fingerprint(string secret) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];

    private static string PublicKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    private static string SmallKeyPem()
    {
        using var rsa = RSA.Create(1024);
        return rsa.ExportRSAPrivateKeyPem();
    }

    private async Task<T> ScalarAsync<T>(string sql, params object[] parameters) =>
        (await Sql.ScalarAsync<T>((await platform.App.GetConnectionStringAsync(ServiceNames.Postgres, Cancellation))!, sql, parameters, Cancellation))!;

    private Task<long> CountByNameAsync(string name) => ScalarAsync<long>("SELECT count(*) FROM integrations WHERE name = $1", name);

    private Task<string> StoredFingerprintAsync(string id) =>
        ScalarAsync<string>("SELECT secret_fingerprint FROM integrations WHERE id = $1", Guid.Parse(id));
}

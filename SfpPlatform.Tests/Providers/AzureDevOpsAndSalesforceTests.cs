using System.Text.Json;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.AzureDevOps;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Providers;

/// <summary>The Azure DevOps and Salesforce clients against their stand-ins, over real Postgres.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AzureDevOpsAndSalesforceTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private ProviderTestContext _context = null!;
    private SaasStandIns _saas = null!;

    private Uri Organization => new(_saas.BaseUrl, "contoso");

    public async ValueTask InitializeAsync()
    {
        _context = await ProviderTestContext.CreateAsync(platform);
        _saas = await SaasStandIns.StartAsync();
        _context.AllowStandIn(_saas.BaseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _saas.DisposeAsync();
    }

    [Fact]
    public async Task AzureDevOps_Operations_SpeakRest71WithThePatAsBasicAuth()
    {
        await RegisterAzureDevOpsAsync(projectKey: null, _saas.AzureDevOpsPat);
        var client = await AzureDevOpsAsync(projectKey: null);

        var repository = await client.GetRepositoryAsync("Sales", "force-app", Cancellation);
        var pullRequest = await client.GetPullRequestAsync("Sales", "force-app", 17, Cancellation);
        var status = await client.CreatePullRequestStatusAsync("Sales", "force-app", 17,
            new AzureDevOpsStatus("succeeded", "Validation passed", "validate", TargetUrl: "https://sfp.example.com/runs/1"), Cancellation);
        var thread = await client.CreateThreadAsync("Sales", "force-app", 17, "Validation summary", Cancellation);
        var comment = await client.AddCommentAsync("Sales", "force-app", 17, thread, "Re-run passed", Cancellation);
        var run = await client.RunPipelineAsync("Sales", 5, "refs/heads/main", Cancellation);

        Assert.Equal(("force-app", "refs/heads/main"), (repository.Name, repository.DefaultBranch));
        Assert.Equal((17, "active", "refs/heads/feature"), (pullRequest.PullRequestId, pullRequest.Status, pullRequest.SourceRefName));
        Assert.Equal((11, 21, 2, 31), (status, thread, comment, run));

        var requests = _saas.AzureDevOpsRequests.ToList();
        Assert.All(requests, r => Assert.Contains("api-version=7.1", r.Target));
        Assert.Contains(requests, r => r.Method == "POST" && r.Target.StartsWith("/contoso/Sales/_apis/git/repositories/force-app/pullRequests/17/statuses", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Method == "POST" && r.Target.StartsWith("/contoso/Sales/_apis/pipelines/5/runs", StringComparison.Ordinal));
        using var statusBody = JsonDocument.Parse(requests.Single(r => r.Target.Contains("/statuses", StringComparison.Ordinal)).Body);
        Assert.Equal("succeeded", statusBody.RootElement.GetProperty("state").GetString());
        Assert.Equal("validate", statusBody.RootElement.GetProperty("context").GetProperty("name").GetString());
        using var runBody = JsonDocument.Parse(requests.Single(r => r.Target.Contains("/runs", StringComparison.Ordinal)).Body);
        Assert.Equal("refs/heads/main", runBody.RootElement.GetProperty("resources").GetProperty("repositories").GetProperty("self").GetProperty("refName").GetString());

        var clone = new Uri(client.CloneUrl("Sales", "force-app"));
        Assert.Equal($"sfp:{_saas.AzureDevOpsPat}", clone.UserInfo);
        Assert.Equal("/contoso/Sales/_git/force-app", clone.AbsolutePath);
        Assert.Empty(TestSecrets.FoundIn(string.Join('\n', _context.Logs)));
    }

    [Fact]
    public async Task AzureDevOps_RefusedPat_IsAnError_NotASignInPageReadAsData()
    {
        await RegisterAzureDevOpsAsync(projectKey: null, TestSecrets.Token("wrong"));
        var client = await AzureDevOpsAsync(projectKey: null);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetRepositoryAsync("Sales", "force-app", Cancellation));

        Assert.Contains("203", error.Message);
    }

    [Fact]
    public async Task AzureDevOps_ProjectPat_WinsOverTheGlobalOne()
    {
        await RegisterAzureDevOpsAsync(projectKey: null, TestSecrets.Token("global"));
        await RegisterAzureDevOpsAsync(projectKey: "sales", _saas.AzureDevOpsPat);

        var client = await AzureDevOpsAsync(projectKey: "sales");

        Assert.Equal("force-app", (await client.GetRepositoryAsync("Sales", "force-app", Cancellation)).Name);
        await Assert.ThrowsAsync<ProviderCredentialMissingException>(() => _context.InScopeAsync<AzureDevOpsClients, AzureDevOpsClient>(
            c => c.ForOrganizationAsync(new Uri("https://dev.azure.com/fabrikam"), "sales", "tests", Cancellation)));
    }

    [Fact]
    public async Task Salesforce_JwtBearer_SignsAnAssertionTheOrgAccepts_AndCachesTheSession()
    {
        await RegisterJwtAsync(projectKey: null);

        var identities = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            _context.InScopeAsync<SalesforceClients, string>(async c => await (await c.ForProjectAsync(null, "tests", Cancellation)).IdentityAsync(Cancellation))));

        Assert.All(identities, i => Assert.Equal(_saas.Username, i));
        Assert.Equal(1, _saas.SessionsIssued);
    }

    [Fact]
    public async Task Salesforce_InvalidSession_IsRefreshedOnce_AndTheCallRetried()
    {
        await RegisterJwtAsync(projectKey: null);
        var connection = await _context.InScopeAsync<SalesforceClients, SalesforceConnection>(c => c.ForProjectAsync(null, "tests", Cancellation));
        await connection.IdentityAsync(Cancellation);

        _saas.ExpireSessions();
        var identity = await connection.IdentityAsync(Cancellation);

        Assert.Equal(_saas.Username, identity);
        Assert.Equal(2, _saas.SessionsIssued);
    }

    [Fact]
    public async Task Salesforce_AuthUrl_UsesTheRefreshTokenGrant()
    {
        await _context.RegisterAsync(IntegrationKinds.SalesforceAuthUrl, "payments",
            $$"""{"instanceUrl":"{{_saas.BaseUrl.AbsoluteUri.TrimEnd('/')}}"}""",
            $"force://PlatformCLI::{_saas.RefreshToken}@localhost:{_saas.BaseUrl.Port}");
        await RegisterJwtAsync(projectKey: null, wrongKey: true);

        // The project's auth URL wins over the global JWT integration (whose key would be refused).
        var identity = await _context.InScopeAsync<SalesforceClients, string>(async c => await (await c.ForProjectAsync("payments", "tests", Cancellation)).IdentityAsync(Cancellation));

        Assert.Equal(_saas.Username, identity);
        Assert.Empty(TestSecrets.FoundIn(string.Join('\n', _context.Logs)));
    }

    [Fact]
    public async Task Salesforce_AssertionSignedWithTheWrongKey_IsRefused()
    {
        await RegisterJwtAsync(projectKey: null, wrongKey: true);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            _context.InScopeAsync<SalesforceClients, string>(async c => await (await c.ForProjectAsync(null, "tests", Cancellation)).IdentityAsync(Cancellation)));

        Assert.Contains("invalid_grant", error.Message);
        Assert.Equal(0, _saas.SessionsIssued);
    }

    private Task<AzureDevOpsClient> AzureDevOpsAsync(string? projectKey) =>
        _context.InScopeAsync<AzureDevOpsClients, AzureDevOpsClient>(c => c.ForOrganizationAsync(Organization, projectKey, "tests", Cancellation));

    private Task<Guid> RegisterAzureDevOpsAsync(string? projectKey, string pat) =>
        _context.RegisterAsync(IntegrationKinds.AzureDevOpsPat, projectKey, $$"""{"organizationUrl":"{{Organization}}"}""", pat);

    private Task<Guid> RegisterJwtAsync(string? projectKey, bool wrongKey = false)
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var pem = wrongKey ? other.ExportRSAPrivateKeyPem() : _saas.ConnectedAppKey.ExportRSAPrivateKeyPem();
        return _context.RegisterAsync(IntegrationKinds.SalesforceJwt, projectKey,
            $$"""{"loginUrl":"{{_saas.BaseUrl.AbsoluteUri.TrimEnd('/')}}","username":"{{_saas.Username}}","consumerKey":"{{_saas.ConsumerKey}}"}""", pem);
    }
}

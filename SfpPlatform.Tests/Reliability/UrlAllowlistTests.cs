using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Reliability;

/// <summary>
/// User-supplied URLs (GitHub Enterprise, Azure DevOps organisation, Salesforce login and auth URL) pointed at
/// loopback, link-local, private or unspecified addresses are refused with the field named; a host the operator's
/// configuration names (here the tests' stand-ins) is accepted.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class UrlAllowlistTests(PlatformAppFixture platform)
{
    public static TheoryData<string, string, string?, string> InternalTargets()
    {
        var data = new TheoryData<string, string, string?, string>();
        foreach (var host in new[]
        {
            "127.0.0.1", "127.1.2.3", "localhost", "api.localhost", "10.0.0.5", "172.20.0.1", "192.168.1.10:8443", "169.254.169.254",
            "100.64.0.1", "0.0.0.0", "[::1]", "[fe80::1]", "[fd00::1]", "[::ffff:127.0.0.1]",
        })
        {
            data.Add("github-pat", $$"""{"baseUrl":"https://{{host}}"}""", null, "settings.baseUrl");
        }

        data.Add("azure-devops-pat", """{"organizationUrl":"https://127.0.0.1/contoso"}""", null, "settings.organizationUrl");
        data.Add("azure-devops-pat", """{"organizationUrl":"https://169.254.169.254/latest"}""", null, "settings.organizationUrl");
        data.Add("salesforce-jwt", """{"loginUrl":"https://169.254.169.254","username":"u","consumerKey":"k"}""", "PEM", "settings.loginUrl");
        data.Add("salesforce-jwt", """{"loginUrl":"https://10.1.1.1","username":"u","consumerKey":"k"}""", "PEM", "settings.loginUrl");
        data.Add("salesforce-auth-url", "{}", "force://PlatformCLI::5Aep861@10.0.0.1", "secret");
        // The test stack names exactly https://localhost for its Salesforce stand-in (an sfdx auth URL carries no port,
        // so the CLI logs in on 443), as an operator names an internal server: any other loopback name stays refused.
        data.Add("salesforce-auth-url", "{}", "force://PlatformCLI::5Aep861@localhost:8443", "secret");
        data.Add("salesforce-auth-url", "{}", "force://PlatformCLI::5Aep861@sfp.localhost", "secret");
        return data;
    }

    [Theory]
    [MemberData(nameof(InternalTargets))]
    public async Task InternalTarget_IsRefused_WithTheFieldNamed(string kind, string settings, string? secret, string field)
    {
        using var owner = await platform.ClientAsync(Caller.Owner);
        var name = "ssrf-" + Guid.NewGuid().ToString("n")[..8];
        var body = new JsonObject
        {
            ["kind"] = kind,
            ["name"] = name,
            ["settings"] = JsonNode.Parse(settings),
            ["secret"] = secret switch { null => TestSecrets.Token("ghp"), "PEM" => TestSecrets.RsaPrivateKeyPem(), _ => TestSecrets.Remember(secret) },
        };

        using var response = await owner.PostAsync("/sfp/api/integrations", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        RecordedResponses.Add(text);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(text)!["errors"]![field]);
        Assert.Equal(0L, await new WebhookTestClient(platform).ScalarAsync<long>("SELECT count(*) FROM integrations WHERE name = $1", name));
        ReliabilityReport.Record(ReliabilityReport.Urls, "Loopback, link-local and private targets", ("targets refused", 1));
    }

    [Fact]
    public async Task HostNamedByTheOperatorsConfiguration_IsAccepted()
    {
        // The test host configures Integrations:AllowedUrls:GitHubEnterprise with the stand-in's own address.
        using var owner = await platform.ClientAsync(Caller.Owner);
        var body = new JsonObject
        {
            ["kind"] = "github-pat",
            ["name"] = "allowed-" + Guid.NewGuid().ToString("n")[..8],
            ["settings"] = new JsonObject { ["baseUrl"] = platform.GitHub.BaseUrl.AbsoluteUri.TrimEnd('/') },
            ["secret"] = TestSecrets.Token("ghp"),
        };

        using var response = await owner.PostAsync("/sfp/api/integrations", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Cancellation);
        RecordedResponses.Add(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        ReliabilityReport.Record(ReliabilityReport.Urls, "Loopback, link-local and private targets", ("operator-allowed hosts accepted", 1));
    }

    [Theory]
    [InlineData("https://{domain}", "https://github.acme.com", true)]
    [InlineData("https://{domain}", "https://10.2.3.4", false)]
    [InlineData("https://{domain}", "https://[::1]", false)]
    [InlineData("https://{domain}", "https://LOCALHOST", false)]
    [InlineData("https://10.2.3.4", "https://10.2.3.4", true)]
    [InlineData("http://127.0.0.1:{port}/{name}", "http://127.0.0.1:8080/contoso", true)]
    [InlineData("https://{name}.my.salesforce.com", "https://acme.my.salesforce.com", true)]
    public void Pattern_AdmitsAnInternalHostOnlyWhenItNamesIt(string pattern, string url, bool allowed)
    {
        var options = new IntegrationOptions { AllowedUrls = new() { ["X"] = [pattern] } };

        Assert.Equal(allowed, options.IsAllowed("X", url));
    }
}

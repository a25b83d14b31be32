using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Providers;

/// <summary>
/// The URL allowlist at connect time: a provider client refuses to connect to an internal address — given as an
/// address, or as a name that resolves to one — unless the operator's configuration names the host; then it connects.
/// </summary>
public sealed class OutboundConnectionGuardTests : IAsyncLifetime
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private CountingUpstream _upstream = null!;

    public async ValueTask InitializeAsync() => _upstream = await CountingUpstream.StartAsync();

    public ValueTask DisposeAsync() => _upstream.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]          // a name: refused for what it resolves to
    [InlineData("127.0.0.1.nip.io")]   // a public-looking name that does not resolve here is refused by DNS, not let through
    public async Task InternalTarget_IsRefusedAtConnect_UntilTheOperatorNamesIt(string host)
    {
        var integrations = new IntegrationOptions();
        await using var services = Services(integrations);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(GitHubInstallationTokens.HttpClientName);
        var url = new Uri($"http://{host}:{_upstream.BaseUrl.Port}/");

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(url, Cancellation));

        Assert.Equal(0, _upstream.Requests("GET"));
        if (host.EndsWith(".nip.io", StringComparison.Ordinal))
        {
            return;
        }

        Assert.True(OutboundConnectionRefusedException.In(refused), refused.ToString());
        Assert.Contains($"Refused to connect to {host}:{_upstream.BaseUrl.Port}", refused.InnerException!.Message, StringComparison.Ordinal);

        integrations.AllowedUrls[IntegrationOptions.GitHubEnterprise].Add($"http://{host}:{_upstream.BaseUrl.Port}");
        using var response = await client.GetAsync(url, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _upstream.Requests("GET"));
        ReliabilityReport.Record(ReliabilityReport.Urls, "Provider connections to internal addresses", ("refused before connecting", 1), ("connected once allowed", 1));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}", "127.0.0.1", 8080, true)]
    [InlineData("http://127.0.0.1:8080/{name}", "127.0.0.1", 8080, true)]
    [InlineData("http://127.0.0.1:8080/{name}", "127.0.0.1", 8081, false)]
    [InlineData("https://localhost", "localhost", 443, true)]
    [InlineData("https://{domain}", "localhost", 443, false)]
    [InlineData("https://{name}.my.salesforce.com", "10.0.0.1", 443, false)]
    public void NamesHost_OnlyForAPatternThatWritesTheHostOut(string pattern, string host, int port, bool named)
    {
        var options = new IntegrationOptions { AllowedUrls = new() { ["X"] = [pattern] } };

        Assert.Equal(named, options.NamesHost(host, port));
    }

    private static ServiceProvider Services(IntegrationOptions integrations)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IOptionsMonitor<IntegrationOptions>>(new TestOptionsMonitor<IntegrationOptions>(integrations));
        services.AddProviders();
        return services.BuildServiceProvider();
    }
}

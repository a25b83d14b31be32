using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using SfpPlatform.Contracts.Http;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.AzureDevOps;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Providers;

/// <summary>
/// Retries that cannot double, counted at a stand-in: the standard pipeline (ServiceDefaults) and the providers' own
/// send an unsafe request once unless it is marked idempotent; a 429 is waited out by one layer only; failures no
/// retry mends fail a step at once.
/// </summary>
public sealed class RetryPolicyTests : IAsyncLifetime
{
    private const string Client = "retry-test";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private CountingUpstream _upstream = null!;

    public async ValueTask InitializeAsync() => _upstream = await CountingUpstream.StartAsync();

    public ValueTask DisposeAsync() => _upstream.DisposeAsync();

    public static TheoryData<string, bool, int> Requests => new()
    {
        { "GET", false, 4 },
        { "POST", false, 1 },
        { "PATCH", false, 1 },
        { "PUT", false, 1 },
        { "DELETE", false, 1 },
        { "POST", true, 4 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task StandardPipeline_RetriesOnlySafeOrIdempotentRequests(string method, bool idempotent, int expected)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddServiceDefaults();
        builder.Services.AddHttpClient(Client);
        // The host's pipeline as configured, only without its waits (the attempts are what is counted).
        builder.Services.PostConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.Delay = TimeSpan.Zero);
        using var host = builder.Build();
        for (var i = 0; i < 4; i++)
        {
            _upstream.Answers.Enqueue((503, []));
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), _upstream.BaseUrl) { Content = method == "GET" ? null : new StringContent("{}") };
        if (idempotent)
        {
            request.MarkIdempotent();
        }

        using var response = await host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(Client).SendAsync(request, Cancellation);

        Assert.Equal(expected, _upstream.Requests(method));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        ReliabilityReport.Record(ReliabilityReport.Faults, "Retries of unsafe requests", ("requests counted", 1), ("attempts", _upstream.Requests(method)));
    }

    [Theory]
    [InlineData("POST", 1)]
    [InlineData("GET", 4)]
    public async Task ProviderPipeline_RetriesOnlySafeRequests(string method, int expected)
    {
        await using var services = ProviderServices();
        for (var i = 0; i < 4; i++)
        {
            _upstream.Answers.Enqueue((502, []));
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), _upstream.BaseUrl) { Content = method == "GET" ? null : new StringContent("{}") };
        using var response = await services.GetRequiredService<IHttpClientFactory>().CreateClient(AzureDevOpsClient.HttpClientName).SendAsync(request, Cancellation);

        Assert.Equal(expected, _upstream.Requests(method));
        ReliabilityReport.Record(ReliabilityReport.Faults, "Retries of unsafe requests", ("requests counted", 1), ("attempts", _upstream.Requests(method)));
    }

    [Fact]
    public async Task RateLimit_IsWaitedOutByOneLayer()
    {
        await using var services = ProviderServices();
        for (var i = 0; i < 10; i++)
        {
            _upstream.Answers.Enqueue((429, new() { ["Retry-After"] = "0" }));
        }

        using var response = await services.GetRequiredService<IHttpClientFactory>().CreateClient(AzureDevOpsClient.HttpClientName)
            .GetAsync(_upstream.BaseUrl, Cancellation);

        // The rate-limit handler's attempts, not multiplied by the pipeline's retries (3 × 4 = 12 with two layers).
        Assert.Equal(RateLimitHandler.MaxAttempts, _upstream.Requests("GET"));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        ReliabilityReport.Record(ReliabilityReport.Faults, "Retries of unsafe requests", ("requests counted", 1), ("attempts", _upstream.Requests("GET")));
    }

    public static TheoryData<Exception, bool> Failures => new()
    {
        { new ProviderCredentialMissingException("No GitHub App or PAT is registered."), false },
        { new Octokit.AuthorizationException(), false },
        { new Octokit.NotFoundException("Not Found", HttpStatusCode.NotFound), false },
        { new HttpRequestException("Azure DevOps answered 403", null, HttpStatusCode.Forbidden), false },
        { new HttpRequestException("Azure DevOps answered 404", null, HttpStatusCode.NotFound), false },
        { new HttpRequestException("connect", new OutboundConnectionRefusedException("Refused to connect to 10.0.0.1")), false },
        { new HttpRequestException("Azure DevOps answered 503", null, HttpStatusCode.ServiceUnavailable), true },
        { new HttpRequestException("connection reset"), true },
        { new TimeoutException(), true },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void PermanentProviderFailures_FailTheStepAtOnce(Exception failure, bool retryable)
    {
        Assert.Equal(retryable, RetryPolicy.Default.IsRetryable(failure));
    }

    private ServiceProvider ProviderServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var integrations = new IntegrationOptions();
        integrations.AllowedUrls["StandIns"] = [_upstream.BaseUrl.GetLeftPart(UriPartial.Authority)];
        services.AddSingleton<IOptionsMonitor<IntegrationOptions>>(new TestOptionsMonitor<IntegrationOptions>(integrations));
        services.AddProviders();
        services.PostConfigureAll<HttpStandardResilienceOptions>(o => o.Retry.Delay = TimeSpan.Zero);
        return services.BuildServiceProvider();
    }
}

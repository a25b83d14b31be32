using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using SfpPlatform.Contracts.Http;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Providers.AzureDevOps;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Core.Providers.Salesforce;

namespace SfpPlatform.Core.Providers;

public static class ProviderServiceCollectionExtensions
{
    /// <summary>
    /// The provider layer: credential resolution, token caches (singletons, so one mint serves every caller), and
    /// each provider's named HttpClient with rate-limit handling. The host's HTTP defaults (ServiceDefaults) add
    /// telemetry and standard resilience to these clients.
    /// </summary>
    public static IServiceCollection AddProviders(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IntegrationOptions>().BindConfiguration(IntegrationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntegrationOptions>, IntegrationOptionsValidator>());
        services.TryAddSingleton<OutboundConnectionGuard>();
        services.AddTransient<RateLimitHandler>();
        services.AddHttpClient(GitHubInstallationTokens.HttpClientName).AddHttpMessageHandler<RateLimitHandler>()
            .WithProviderResilience(attemptTimeout: TimeSpan.FromSeconds(30));
        services.AddSingleton<GitHubInstallationTokens>();
        services.AddScoped<ProviderCredentials>();
        services.AddScoped<GitHubClients>();

        services.AddHttpClient(AzureDevOpsClient.HttpClientName).AddHttpMessageHandler<RateLimitHandler>()
            .WithProviderResilience(attemptTimeout: TimeSpan.FromSeconds(30));
        services.AddScoped<AzureDevOpsClients>();

        services.AddHttpClient(SalesforceSessions.HttpClientName).AddHttpMessageHandler<RateLimitHandler>()
            .WithProviderResilience(attemptTimeout: TimeSpan.FromSeconds(60));
        services.AddSingleton<SalesforceSessions>();
        services.AddScoped<SalesforceClients>();
        services.AddScoped<SalesforceOrgCredentials>();
        return services;
    }

    /// <summary>
    /// Each provider's own resilience: retries of safe (or idempotent-marked) requests with exponential backoff and
    /// jitter on 5xx, 408 and transport errors (429 is the rate-limit handler's), a per-attempt timeout, a circuit breaker. It replaces the host's default pipeline for this
    /// client and sits inside the rate-limit handler, so waiting out a rate limit is not cut short by a timeout. Each
    /// host gets its own pipeline, so one failing host breaks no other's circuit.
    /// </summary>
    private static IHttpClientBuilder WithProviderResilience(this IHttpClientBuilder client, TimeSpan attemptTimeout)
    {
        // Every connection of a provider client passes the URL allowlist after DNS resolution.
        client.ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundConnectionGuard>().CreateHandler());

        // The documented way to replace the pipeline ServiceDefaults adds to every client; still marked experimental.
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        client.AddStandardResilienceHandler(options =>
        {
            options.AttemptTimeout.Timeout = attemptTimeout;
            options.TotalRequestTimeout.Timeout = attemptTimeout * 4;
            options.CircuitBreaker.SamplingDuration = attemptTimeout * 2;
            options.Retry.MaxRetryAttempts = 3;
            options.Retry.UseJitter = true;
            options.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
            // Only what may be sent twice, and never a 429: the RateLimitHandler outside this pipeline is the one
            // layer that waits out rate limits (as the provider says), so a limit is not retried by two layers.
            var outcomes = options.Retry.ShouldHandle;
            options.Retry.ShouldHandle = args =>
                IdempotentRequests.MayRetry(args.Context.GetRequestMessage()) && args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests
                    && !OutboundConnectionRefusedException.In(args.Outcome.Exception)
                    ? outcomes(args)
                    : PredicateResult.False();
        })
        // One pipeline (and circuit breaker) per host: an unreachable GitHub Enterprise server or Azure DevOps
        // collection must not open the circuit for every other host the same client talks to.
        .SelectPipelineByAuthority();
        return client;
    }
}

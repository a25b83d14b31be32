using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.AddTransient<RateLimitHandler>();
        services.AddHttpClient(GitHubInstallationTokens.HttpClientName).AddHttpMessageHandler<RateLimitHandler>();
        services.AddSingleton<GitHubInstallationTokens>();
        services.AddScoped<ProviderCredentials>();
        services.AddScoped<GitHubClients>();

        services.AddHttpClient(AzureDevOpsClient.HttpClientName).AddHttpMessageHandler<RateLimitHandler>();
        services.AddScoped<AzureDevOpsClients>();

        services.AddHttpClient(SalesforceSessions.HttpClientName).AddHttpMessageHandler<RateLimitHandler>();
        services.AddSingleton<SalesforceSessions>();
        services.AddScoped<SalesforceClients>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SfpPlatform.Core.Providers.GitHub;

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
        return services;
    }
}

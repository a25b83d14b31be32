using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Core.Webhooks.Recovery;

public static class DeliveryRecoveryServiceCollectionExtensions
{
    /// <summary>
    /// The GitHub delivery recovery as a platform sweep (the scheduler runs every <see cref="IPlatformSweep"/>), and its
    /// typed client on the provider layer's <c>github</c> HttpClient (that client's resilience, rate-limit handling and
    /// connect-time allowlist). Needs <c>AddProviders()</c> and the database context.
    /// </summary>
    public static IServiceCollection AddDeliveryRecovery(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<GitHubHookDeliveriesClient>(GitHubInstallationTokens.HttpClientName);
        services.TryAddSingleton<DeliveryRecovery>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlatformSweep, DeliveryRecovery>(sp => sp.GetRequiredService<DeliveryRecovery>()));
        return services;
    }
}

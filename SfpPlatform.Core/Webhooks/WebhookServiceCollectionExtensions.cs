using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SfpPlatform.Core.Webhooks.Authentication;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Core.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>The webhook intake: sources and their secrets, authentication, the store-and-enqueue transaction, workflow runs.</summary>
    public static IServiceCollection AddWebhookIntake(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookSecretCache>();
        services.AddScoped<WebhookSources>();
        services.AddScoped<WebhookAuthenticator>();
        services.AddScoped<WebhookIntake>();
        services.TryAddSingleton<DeliveryWriter>();
        services.AddWorkflowRunStore();
        return services;
    }
}

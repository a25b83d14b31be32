using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Webhooks.Routing;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Webhooks;

/// <summary>Normalises a stored delivery body by provider.</summary>
public static class ProviderEvents
{
    public static ProviderEvent Normalize(string provider, string eventName, byte[] body)
    {
        switch (provider)
        {
            case WebhookProviders.GitHub:
                return GitHubEvents.Normalize(eventName, body);
            case WebhookProviders.AzureDevOps:
                using (var payload = WebhookPayload.Parse(body))
                {
                    return AzureDevOpsEvents.Normalize(payload.Root);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown webhook provider.");
        }
    }
}

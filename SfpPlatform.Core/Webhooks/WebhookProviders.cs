using System.Text.Json;

namespace SfpPlatform.Core.Webhooks;

public static class WebhookProviders
{
    public const string GitHub = "github";
    public const string AzureDevOps = "azure-devops";

    public static readonly IReadOnlyList<string> All = [GitHub, AzureDevOps];
}

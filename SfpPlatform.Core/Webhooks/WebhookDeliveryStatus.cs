using System.Text.Json;

namespace SfpPlatform.Core.Webhooks;

public static class WebhookDeliveryStatus
{
    public const string Routed = "routed";
    public const string Ignored = "ignored";

    public static readonly IReadOnlyList<string> All = [Routed, Ignored];
}

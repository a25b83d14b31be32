using System.Text.Json;

namespace SfpPlatform.Contracts.Webhooks;

/// <summary>One delivery: its summary, the headers kept with it (never credentials), its payload and its runs.</summary>
/// <param name="IntegrationId">The webhook integration whose secret authenticated it.</param>
/// <param name="Headers">The kept request headers, by name as sent.</param>
/// <param name="Payload">The body as the provider sent it.</param>
/// <param name="BodyBytes">The body's size in bytes.</param>
public sealed record DeliveryDetail(
    DeliverySummary Delivery, Guid? IntegrationId, IReadOnlyDictionary<string, string> Headers, JsonElement Payload, int BodyBytes,
    IReadOnlyList<DeliveryRun> Runs);

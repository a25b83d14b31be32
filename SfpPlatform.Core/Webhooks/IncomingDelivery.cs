using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Webhooks.Routing;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Webhooks;

/// <summary>An authenticated delivery, ready to store.</summary>
public sealed record IncomingDelivery(
    string Provider, string DeliveryId, string Event, IReadOnlyDictionary<string, string> Headers, byte[] Body, WebhookSource Source);

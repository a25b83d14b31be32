using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Webhooks.Routing;

namespace SfpPlatform.Core.Webhooks;

/// <summary>A webhook integration that may have sent a delivery, with its project's routing rules (if stored).</summary>
public sealed class WebhookSource
{
    public Guid IntegrationId { get; set; }

    public string? ProjectKey { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? RulesJson { get; set; }

    /// <summary>The project's stored rules, else the defaults.</summary>
    public IReadOnlyList<RoutingRule> ParseRules() => RulesJson is null ? DefaultRoutingRules.Rules : RoutingRuleSet.Parse(RulesJson);
}

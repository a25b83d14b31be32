using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Core.Webhooks.Routing;

/// <summary>The outcome of routing one event: the rule that matched (and its position), or why none did.</summary>
public sealed record RoutingDecision(RoutingRule? Rule, string Reason)
{
    public string? Workflow => Rule?.Workflow;
}

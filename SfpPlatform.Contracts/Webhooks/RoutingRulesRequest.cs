namespace SfpPlatform.Contracts.Webhooks;

/// <summary><c>PUT /sfp/api/webhooks/routing-rules/{projectKey}</c>: the project's rules, in order (first match wins).</summary>
public sealed record RoutingRulesRequest(IReadOnlyList<RoutingRule?>? Rules);

namespace SfpPlatform.Contracts.Webhooks;

/// <summary>The rules that route a project's deliveries.</summary>
/// <param name="ProjectKey">The project (null: the defaults themselves).</param>
/// <param name="Source"><c>project</c> (stored for the project) or <c>default</c>.</param>
public sealed record RoutingRulesResponse(string? ProjectKey, string Source, IReadOnlyList<RoutingRule> Rules);

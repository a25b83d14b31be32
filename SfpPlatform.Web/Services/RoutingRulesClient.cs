using SfpPlatform.Contracts.Webhooks;

namespace SfpPlatform.Web.Services;

/// <summary>A project's event-to-workflow rules (members read, owners change): <c>/sfp/api/webhooks/routing-rules</c>.</summary>
public sealed class RoutingRulesClient(PlatformApi api)
{
    private const string Path = "/sfp/api/webhooks/routing-rules";

    /// <summary>The rules that route the project's deliveries: its own, else the defaults.</summary>
    public Task<ApiResult<RoutingRulesResponse>> GetAsync(string projectKey, CancellationToken cancellationToken = default) =>
        api.GetAsync<RoutingRulesResponse>(ProjectPath(projectKey), cancellationToken);

    public Task<ApiResult<RoutingRulesResponse>> SaveAsync(string projectKey, IReadOnlyList<RoutingRule?>? rules, CancellationToken cancellationToken = default) =>
        api.PutAsync<RoutingRulesResponse>(ProjectPath(projectKey), new RoutingRulesRequest(rules), cancellationToken);

    /// <summary>Returns the project to the default rules.</summary>
    public Task<ApiProblem?> ResetAsync(string projectKey, CancellationToken cancellationToken = default) =>
        api.DeleteAsync(ProjectPath(projectKey), cancellationToken);

    private static string ProjectPath(string projectKey) =>
        projectKey.Length > 0 ? $"{Path}/{Uri.EscapeDataString(projectKey)}" : throw new ArgumentException("A project key is required.", nameof(projectKey));
}

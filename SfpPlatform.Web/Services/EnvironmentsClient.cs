using SfpPlatform.Contracts.Environments;

namespace SfpPlatform.Web.Services;

/// <summary>Environments, releases and deployments of a project: <c>/sfp/api/projects/{project}/…</c> and <c>/sfp/api/deployments</c>.</summary>
public sealed class EnvironmentsClient(PlatformApi api)
{
    private static string Project(string project) => $"/sfp/api/projects/{Uri.EscapeDataString(project)}";

    public Task<ApiResult<List<EnvironmentResponse>>> ListAsync(string project, CancellationToken cancellationToken = default) =>
        api.GetAsync<List<EnvironmentResponse>>($"{Project(project)}/environments", cancellationToken);

    public Task<ApiResult<List<DeploymentResponse>>> HistoryAsync(string project, string environment, CancellationToken cancellationToken = default) =>
        api.GetAsync<List<DeploymentResponse>>($"{Project(project)}/environments/{Uri.EscapeDataString(environment)}/deployments", cancellationToken);

    public Task<ApiResult<List<DeploymentResponse>>> PendingAsync(string project, CancellationToken cancellationToken = default) =>
        api.GetAsync<List<DeploymentResponse>>($"{Project(project)}/approvals", cancellationToken);

    public Task<ApiResult<EnvironmentDiff>> DiffAsync(string project, string from, string to, CancellationToken cancellationToken = default) =>
        api.GetAsync<EnvironmentDiff>($"{Project(project)}/diff?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", cancellationToken);

    public Task<ApiResult<EnvironmentResponse>> SaveAsync(string project, string name, EnvironmentRequest request, CancellationToken cancellationToken = default) =>
        api.PutAsync<EnvironmentResponse>($"{Project(project)}/environments/{Uri.EscapeDataString(name)}", request, cancellationToken);

    public Task<ApiResult<DeploymentResponse>> DeployAsync(string project, string environment, string? release, CancellationToken cancellationToken = default) =>
        api.PostAsync<DeploymentResponse>($"{Project(project)}/environments/{Uri.EscapeDataString(environment)}/deployments", new DeployRequest(release), cancellationToken);

    public Task<ApiResult<DeploymentResponse>> UnlockAsync(string project, string environment, CancellationToken cancellationToken = default) =>
        api.PostAsync<DeploymentResponse>($"{Project(project)}/environments/{Uri.EscapeDataString(environment)}/unlock", null, cancellationToken);

    public Task<ApiResult<DeploymentResponse>> GetDeploymentAsync(Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<DeploymentResponse>($"/sfp/api/deployments/{id}", cancellationToken);

    public Task<ApiResult<DeploymentResponse>> DecideAsync(Guid id, bool approve, string? reason, CancellationToken cancellationToken = default) =>
        api.PostAsync<DeploymentResponse>($"/sfp/api/deployments/{id}/{(approve ? "approve" : "reject")}", new DecisionRequest(reason), cancellationToken);
}

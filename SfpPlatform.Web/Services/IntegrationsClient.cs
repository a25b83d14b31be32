using SfpPlatform.Contracts.Integrations;

namespace SfpPlatform.Web.Services;

/// <summary>Integrations (members read, owners manage): <c>/sfp/api/integrations</c>.</summary>
public sealed class IntegrationsClient(PlatformApi api)
{
    private const string Path = "/sfp/api/integrations";

    public Task<ApiResult<IReadOnlyList<IntegrationResponse>>> ListAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<IntegrationResponse>>(Path, cancellationToken);

    /// <summary>The kinds of integration and their settings, as the Api checks them: what the forms are built from.</summary>
    public Task<ApiResult<IReadOnlyList<IntegrationKind>>> KindsAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<IReadOnlyList<IntegrationKind>>($"{Path}/kinds", cancellationToken);

    public Task<ApiResult<IntegrationResponse>> CreateAsync(CreateIntegrationRequest request, CancellationToken cancellationToken = default) =>
        api.PostAsync<IntegrationResponse>(Path, request, cancellationToken);

    public Task<ApiResult<IntegrationResponse>> RotateSecretAsync(Guid id, RotateSecretRequest request, CancellationToken cancellationToken = default) =>
        api.PostAsync<IntegrationResponse>($"{Path}/{id}/rotate", request, cancellationToken);

    public Task<ApiResult<ConnectionTestResponse>> TestConnectionAsync(Guid id, CancellationToken cancellationToken = default) =>
        api.PostAsync<ConnectionTestResponse>($"{Path}/{id}/test", null, cancellationToken);

    public Task<ApiProblem?> DeleteAsync(Guid id, CancellationToken cancellationToken = default) =>
        api.DeleteAsync($"{Path}/{id}", cancellationToken);
}

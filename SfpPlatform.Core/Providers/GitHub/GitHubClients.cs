using System.Text.Json;
using SfpPlatform.Core.Integrations;
using OctokitCredentials = Octokit.Credentials;

namespace SfpPlatform.Core.Providers.GitHub;

/// <summary>
/// One call to get an authenticated GitHub client for a repository. The project's own credentials come before the
/// global ones: first a project-scoped GitHub App installed on the repository (with a cached installation token), then
/// the project's PAT, then a global App installed there, then a global PAT. A project that registered its own PAT is
/// served by it even where a global App exists.
/// </summary>
public sealed class GitHubClients(ProviderCredentials credentials, GitHubInstallationTokens tokens, TimeProvider time)
{
    public async Task<GitHubConnection> ForRepositoryAsync(
        string owner, string repository, string? projectKey, string caller, CancellationToken cancellationToken = default)
    {
        var apps = await credentials.CandidatesAsync(IntegrationKinds.GitHubApp, projectKey, cancellationToken);
        var pats = await credentials.CandidatesAsync(IntegrationKinds.GitHubPat, projectKey, cancellationToken);
        foreach (var global in (bool[])[false, true])
        {
            foreach (var integration in apps.Where(i => (i.ProjectKey is null) == global))
            {
                if (await AppConnectionAsync(integration, owner, repository, caller, cancellationToken) is { } connection)
                {
                    return connection;
                }
            }

            if (pats.FirstOrDefault(i => (i.ProjectKey is null) == global) is { } pat)
            {
                return await PatConnectionAsync(pat, owner, repository, caller, cancellationToken);
            }
        }

        throw new ProviderCredentialMissingException(
            $"No GitHub App registered for {(projectKey is null ? "the platform" : $"project '{projectKey}'")} is installed on {owner}/{repository}, " +
            "and no GitHub PAT is registered: register one under /sfp/api/integrations.");
    }

    /// <summary>A connection through <paramref name="integration"/>'s installation on the repository; null when it is not installed there.</summary>
    private async Task<GitHubConnection?> AppConnectionAsync(
        Integration integration, string owner, string repository, string caller, CancellationToken cancellationToken)
    {
        var app = ToAppCredential(integration, caller);
        if (await tokens.FindInstallationAsync(app, owner, repository, cancellationToken) is not { } installationId)
        {
            return null;
        }

        var token = await tokens.GetAsync(app, installationId, cancellationToken: cancellationToken);
        async Task<(Octokit.IGitHubClient, AccessToken)> RenewAsync(CancellationToken ct)
        {
            tokens.Invalidate(app, installationId, token);
            var renewed = await tokens.GetAsync(app, installationId, cancellationToken: ct);
            return (tokens.CreateClient(app.BaseUrl, new OctokitCredentials(renewed.Value)), renewed);
        }

        return new GitHubConnection(
            tokens.CreateClient(app.BaseUrl, new OctokitCredentials(token.Value)), token,
            GitHubInstallationTokens.ApiBase(app.BaseUrl), owner, repository, integration.Id,
            mintedAt: token.ExpiresAt - TimeSpan.FromHours(1), time, RenewAsync);
    }

    private async Task<GitHubConnection> PatConnectionAsync(
        Integration integration, string owner, string repository, string caller, CancellationToken cancellationToken)
    {
        var baseUrl = BaseUrl(integration);
        var pat = await credentials.SecretAsync(integration, "github-pat", caller, cancellationToken);
        return new GitHubConnection(
            tokens.CreateClient(baseUrl, new OctokitCredentials(pat)), new AccessToken(pat, DateTimeOffset.MaxValue),
            GitHubInstallationTokens.ApiBase(baseUrl), owner, repository, integration.Id,
            mintedAt: DateTimeOffset.MinValue, time, renew: null);
    }

    private GitHubAppCredential ToAppCredential(Integration integration, string caller)
    {
        var settings = integration.Settings.RootElement;
        var issuer = GitHubAppJwt.Issuer(
            settings.GetProperty("appId").GetInt64(),
            settings.TryGetProperty("clientId", out var clientId) && clientId.ValueKind == JsonValueKind.String ? clientId.GetString() : null);
        return new GitHubAppCredential(integration.Id, issuer, BaseUrl(integration),
            credentials.SecretSource(integration, "github-app-token", caller));
    }

    private static Uri? BaseUrl(Integration integration) =>
        integration.Settings.RootElement.TryGetProperty("baseUrl", out var baseUrl) && baseUrl.ValueKind == JsonValueKind.String
            ? new Uri(baseUrl.GetString()!)
            : null;
}

using System.Text.Json;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Providers.Salesforce;

/// <summary>
/// The Salesforce integrations a run signs the sfp CLI in with, the project's before global ones (JWT before auth
/// URL within a scope, then by name): the dev hub, and orgs named by username (a review environment's org is the
/// integration whose <c>username</c> setting is the org's user).
/// </summary>
public sealed class SalesforceOrgCredentials(ProviderCredentials credentials)
{
    /// <summary>
    /// The project's dev hub: its Salesforce integration that signs in as none of <paramref name="otherUsers"/> (the
    /// review orgs' users, whose integrations sit beside it).
    /// </summary>
    public async Task<SalesforceOrgCredential> DevHubAsync(string? projectKey, IReadOnlyCollection<string> otherUsers, string caller, CancellationToken cancellationToken)
    {
        var candidates = await CandidatesAsync(projectKey, cancellationToken);
        var devHub = candidates.FirstOrDefault(i => Username(i) is not { } user || !otherUsers.Contains(user, StringComparer.OrdinalIgnoreCase))
            ?? throw new ProviderCredentialMissingException(
                $"No Salesforce integration is registered for {(projectKey is null ? "the platform" : $"project '{projectKey}'")} to use as the dev hub: register a salesforce-jwt or salesforce-auth-url integration under /sfp/api/integrations.");
        return await ReadAsync(devHub, caller, cancellationToken);
    }

    /// <summary>The integration that signs in as <paramref name="username"/>.</summary>
    public async Task<SalesforceOrgCredential> ForUsernameAsync(string? projectKey, string username, string caller, CancellationToken cancellationToken)
    {
        var candidates = await CandidatesAsync(projectKey, cancellationToken);
        var match = candidates.FirstOrDefault(i => string.Equals(Username(i), username, StringComparison.OrdinalIgnoreCase))
            ?? throw new ProviderCredentialMissingException(
                $"No Salesforce integration signs in as '{username}': register a salesforce-auth-url (settings.username = '{username}') or salesforce-jwt integration for it.");
        return await ReadAsync(match, caller, cancellationToken);
    }

    /// <summary>The Salesforce integration named <paramref name="name"/> (the project's before a global one): an environment's org.</summary>
    public async Task<SalesforceOrgCredential> ForIntegrationAsync(string? projectKey, string name, string caller, CancellationToken cancellationToken)
    {
        var candidates = await CandidatesAsync(projectKey, cancellationToken);
        var match = candidates.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal))
            ?? throw new ProviderCredentialMissingException(
                $"No Salesforce integration named '{name}' is registered for {(projectKey is null ? "the platform" : $"project '{projectKey}'")}: register a salesforce-jwt or salesforce-auth-url integration of that name.");
        return await ReadAsync(match, caller, cancellationToken);
    }

    private async Task<IReadOnlyList<Integration>> CandidatesAsync(string? projectKey, CancellationToken cancellationToken) =>
        [.. (await credentials.CandidatesAsync(IntegrationKinds.SalesforceJwt, projectKey, cancellationToken))
            .Concat(await credentials.CandidatesAsync(IntegrationKinds.SalesforceAuthUrl, projectKey, cancellationToken))
            .OrderBy(i => i.ProjectKey is null)];

    private async Task<SalesforceOrgCredential> ReadAsync(Integration integration, string caller, CancellationToken cancellationToken)
    {
        var secret = await credentials.SecretAsync(integration, "sfp-org-login", caller, cancellationToken);
        return new SalesforceOrgCredential(integration.Kind, integration.Name, Username(integration),
            Setting(integration, "loginUrl"), Setting(integration, "consumerKey"), secret);
    }

    private static string? Username(Integration integration) => Setting(integration, "username");

    private static string? Setting(Integration integration, string name) =>
        integration.Settings.RootElement.ValueKind == JsonValueKind.Object
        && integration.Settings.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

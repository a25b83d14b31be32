using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Providers.Salesforce;

/// <summary>A Salesforce connection from the project's (else a global) Salesforce integration.</summary>
public sealed class SalesforceClients(ProviderCredentials credentials, SalesforceSessions sessions, IHttpClientFactory http)
{
    public async Task<SalesforceConnection> ForProjectAsync(string? projectKey, string caller, CancellationToken cancellationToken = default)
    {
        // Project-scoped before global across both kinds (OrderBy is stable: JWT before auth URL within a scope).
        var candidates = (await credentials.CandidatesAsync(IntegrationKinds.SalesforceJwt, projectKey, cancellationToken))
            .Concat(await credentials.CandidatesAsync(IntegrationKinds.SalesforceAuthUrl, projectKey, cancellationToken))
            .OrderBy(i => i.ProjectKey is null);
        if (candidates.FirstOrDefault() is { } org)
        {
            return new SalesforceConnection(http.CreateClient(SalesforceSessions.HttpClientName), sessions, org,
                credentials.SecretSource(org, "salesforce-session", caller));
        }

        throw new ProviderCredentialMissingException(
            $"No Salesforce integration is registered for {(projectKey is null ? "the platform" : $"project '{projectKey}'")}: register a salesforce-jwt or salesforce-auth-url integration under /sfp/api/integrations.");
    }
}

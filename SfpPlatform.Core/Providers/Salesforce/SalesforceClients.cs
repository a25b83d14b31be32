using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Providers.Salesforce;

/// <summary>An authenticated connection to one Salesforce org.</summary>
public sealed class SalesforceConnection(HttpClient http, SalesforceSessions sessions, Integration org, Func<CancellationToken, Task<string>> secret)
{
    public Guid IntegrationId => org.Id;

    /// <summary>
    /// Sends a request to the org's instance (a path such as <c>/services/data/v62.0/limits</c>); an invalid-session
    /// 401 refreshes the session once and sends again.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken = default)
    {
        var session = await sessions.GetAsync(org, secret, cancellationToken);
        var response = await SendWithAsync(session, request(), cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        sessions.Invalidate(org, session);
        return await SendWithAsync(await sessions.GetAsync(org, secret, cancellationToken), request(), cancellationToken);
    }

    /// <summary>The current session (access token and instance URL), for handing to the sfp CLI. Never log it.</summary>
    public Task<SalesforceSession> SessionAsync(CancellationToken cancellationToken = default) =>
        sessions.GetAsync(org, secret, cancellationToken);

    /// <summary>The identity the session acts as (the "test connection" check): the username.</summary>
    public async Task<string> IdentityAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "/services/oauth2/userinfo"), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Salesforce answered {(int)response.StatusCode} to the identity check.", null, response.StatusCode);
        }

        var info = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return info.GetProperty("preferred_username").GetString()!;
    }

    private Task<HttpResponseMessage> SendWithAsync(SalesforceSession session, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = new Uri(session.InstanceUrl, request.RequestUri!.OriginalString);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        return http.SendAsync(request, cancellationToken);
    }
}

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

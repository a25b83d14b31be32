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

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SfpPlatform.Contracts.Integrations;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Api.Integrations;

/// <summary>
/// "Test connection": one authenticated call to the provider with the stored credential. The answer names the
/// provider's status, never a body (a body could carry a token).
/// </summary>
public sealed class ConnectionTester(HttpClient http, TimeProvider time, Core.Providers.Salesforce.SalesforceSessions salesforce)
{
    public async Task<ConnectionTestResponse> TestAsync(Integration integration, string secret, CancellationToken cancellationToken)
    {
        var settings = integration.Settings.RootElement;
        try
        {
            using var request = integration.Kind switch
            {
                IntegrationKinds.GitHubPat => GitHub(settings, "user", new AuthenticationHeaderValue("Bearer", secret)),
                IntegrationKinds.GitHubApp => GitHub(settings, "app", new AuthenticationHeaderValue("Bearer", GitHubAppJwt(settings, secret))),
                IntegrationKinds.AzureDevOpsPat => AzureDevOps(settings, secret),
                IntegrationKinds.SalesforceJwt or IntegrationKinds.SalesforceAuthUrl => await SalesforceIdentity(integration, secret, cancellationToken),
                _ => throw new InvalidOperationException($"No connection test for kind {integration.Kind}."),
            };
            using var response = await http.SendAsync(request, cancellationToken);
            var provider = request.RequestUri!.Host;
            return response.IsSuccessStatusCode
                ? new ConnectionTestResponse(true, $"{provider} accepted the credential ({(int)response.StatusCode}).")
                : new ConnectionTestResponse(false, $"{provider} refused the credential: {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (HttpRequestException e) when (e.StatusCode is not null)
        {
            // Raised by the provider layer with the provider's status and error code, never a token.
            return new ConnectionTestResponse(false, e.Message);
        }
        catch (HttpRequestException e)
        {
            return new ConnectionTestResponse(false, $"The provider could not be reached: {e.HttpRequestError}.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ConnectionTestResponse(false, "The provider did not answer in time.");
        }
    }

    private static HttpRequestMessage GitHub(JsonElement settings, string path, AuthenticationHeaderValue authorization)
    {
        // GitHub Enterprise Server serves the REST API under /api/v3.
        var api = settings.TryGetProperty("baseUrl", out var baseUrl) ? baseUrl.GetString()!.TrimEnd('/') + "/api/v3" : "https://api.github.com";
        var request = new HttpRequestMessage(HttpMethod.Get, $"{api}/{path}");
        request.Headers.Authorization = authorization;
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("SfpPlatform");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        return request;
    }

    private string GitHubAppJwt(JsonElement settings, string privateKeyPem) =>
        Core.Providers.GitHub.GitHubAppJwt.Create(
            Core.Providers.GitHub.GitHubAppJwt.Issuer(
                settings.GetProperty("appId").GetInt64(),
                settings.TryGetProperty("clientId", out var clientId) ? clientId.GetString() : null),
            privateKeyPem,
            time.GetUtcNow());

    private static HttpRequestMessage AzureDevOps(JsonElement settings, string pat)
    {
        var organization = settings.GetProperty("organizationUrl").GetString()!.TrimEnd('/');
        var request = new HttpRequestMessage(HttpMethod.Get, $"{organization}/_apis/projects?api-version=7.1&$top=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + pat)));
        return request;
    }

    /// <summary>Signs in through the provider layer (JWT bearer or refresh token), then asks who the session is.</summary>
    private async Task<HttpRequestMessage> SalesforceIdentity(Integration integration, string secret, CancellationToken cancellationToken)
    {
        var session = await salesforce.SignInAsync(integration, secret, cancellationToken);
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(session.InstanceUrl, "/services/oauth2/userinfo"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.AccessToken);
        return request;
    }
}

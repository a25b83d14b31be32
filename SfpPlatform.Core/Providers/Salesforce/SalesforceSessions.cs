using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Providers.Salesforce;

/// <summary>
/// Salesforce sessions per org (integration): OAuth 2.0 JWT bearer flow for <c>salesforce-jwt</c> (RS256 assertion:
/// iss consumer key, sub username, aud login URL, 3-minute exp) and the refresh-token grant for an sfdx auth URL.
/// Sessions carry no expiry, so they are kept for Salesforce's default two-hour timeout or until refused.
/// </summary>
public sealed class SalesforceSessions(IHttpClientFactory http, TimeProvider time)
{
    public const string HttpClientName = "salesforce";

    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(2);

    private readonly TokenCache<Guid, SalesforceSession> _cache = new(time, TimeSpan.FromMinutes(5), s => s.NominalExpiry, "salesforce");

    public Task<SalesforceSession> GetAsync(Integration org, Func<CancellationToken, Task<string>> secret, CancellationToken cancellationToken = default) =>
        _cache.GetAsync(org.Id, ct => MintAsync(org, secret, ct), cancellationToken);

    /// <summary>Signs in afresh, bypassing the cache ("test connection" checks the credential as stored now).</summary>
    public Task<SalesforceSession> SignInAsync(Integration org, string secret, CancellationToken cancellationToken = default) =>
        MintAsync(org, _ => Task.FromResult(secret), cancellationToken);

    /// <summary>Forgets a session Salesforce refused (INVALID_SESSION_ID).</summary>
    public void Invalidate(Integration org, SalesforceSession session) => _cache.Invalidate(org.Id, session);

    private async Task<SalesforceSession> MintAsync(Integration org, Func<CancellationToken, Task<string>> secret, CancellationToken cancellationToken)
    {
        var settings = org.Settings.RootElement;
        var (tokenUrl, form) = org.Kind switch
        {
            IntegrationKinds.SalesforceJwt => JwtBearer(settings, await secret(cancellationToken)),
            IntegrationKinds.SalesforceAuthUrl => RefreshToken(settings, await secret(cancellationToken)),
            _ => throw new InvalidOperationException($"{org.Kind} is not a Salesforce integration."),
        };

        using var response = await http.CreateClient(HttpClientName).PostAsync(tokenUrl, new FormUrlEncodedContent(form), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The error body names the OAuth error (invalid_grant, invalid_client_id); it carries no token.
            var error = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("error", out var e) ? e.GetString() : null;
            throw new HttpRequestException($"Salesforce refused the {org.Kind} grant: {(int)response.StatusCode} {code}.", null, response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return new SalesforceSession(
            body.GetProperty("access_token").GetString()!,
            new Uri(body.GetProperty("instance_url").GetString()!),
            time.GetUtcNow() + SessionLifetime);
    }

    private (string, Dictionary<string, string>) JwtBearer(JsonElement settings, string privateKeyPem)
    {
        var loginUrl = settings.GetProperty("loginUrl").GetString()!.TrimEnd('/');
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var assertion = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.GetProperty("consumerKey").GetString(),
            Subject = new ClaimsIdentity([new Claim("sub", settings.GetProperty("username").GetString()!)]),
            Audience = loginUrl,
            Expires = (time.GetUtcNow() + TimeSpan.FromMinutes(3)).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)), SecurityAlgorithms.RsaSha256),
        });
        return ($"{loginUrl}/services/oauth2/token", new()
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = assertion,
        });
    }

    private static (string, Dictionary<string, string>) RefreshToken(JsonElement settings, string authUrlText)
    {
        if (!SalesforceAuthUrl.TryParse(authUrlText, out var authUrl))
        {
            throw new InvalidOperationException("The stored auth URL does not parse.");
        }

        // The instance recorded at registration (its scheme included); else the auth URL's host over HTTPS.
        var instance = settings.TryGetProperty("instanceUrl", out var stored) ? stored.GetString()!.TrimEnd('/') : authUrl!.InstanceUrl;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = authUrl!.ClientId,
            ["refresh_token"] = authUrl.RefreshToken,
        };
        if (authUrl.ClientSecret.Length > 0)
        {
            form["client_secret"] = authUrl.ClientSecret;
        }

        return ($"{instance}/services/oauth2/token", form);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SfpPlatform.Topology;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Integrations;

/// <summary>
/// The Api configured with a JWKS document only (as for GoTrue with asymmetric keys) accepts RS256 and ES256 tokens
/// signed by the published keys and refuses everything else.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class JwksAuthenticationTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private TestDatabase _database = null!;
    private WebApplication _jwks = null!;
    private Process _api = null!;
    private int _apiPort;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(await platform.App.GetConnectionStringAsync(ServiceNames.Postgres) ?? "");
        _jwks = await StartJwksAsync();
        _apiPort = EdgePair.FreePort();
        _api = TestProcess.Start("dotnet", [RepositoryPaths.ProjectAssembly("SfpPlatform.Api")], new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_apiPort}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__sfp"] = _database.ConnectionString,
            ["Credentials__ActiveKeyId"] = "k",
            ["Credentials__Keys__k"] = new string('k', 40),
            ["Auth__JwksUrl"] = _jwks.Urls.Single() + "/auth/v1/.well-known/jwks.json",
            ["Logging__LogLevel__Default"] = "Warning",
        });

        using var client = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if ((await client.GetAsync($"http://127.0.0.1:{_apiPort}/sfp/api/health")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (attempt < 150)
            {
            }

            Assert.False(_api.HasExited, "the Api exited while starting");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _api.Kill(entireProcessTree: true);
        await _api.WaitForExitAsync();
        await _jwks.DisposeAsync();
        await _database.DisposeAsync();
        _rsa.Dispose();
        _ec.Dispose();
    }

    [Fact]
    public async Task Rs256Token_FromThePublishedKey_IsAccepted() =>
        Assert.Equal(HttpStatusCode.OK, await ListAsync(Token(new RsaSecurityKey(_rsa) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256)));

    [Fact]
    public async Task Es256Token_FromThePublishedKey_IsAccepted() =>
        Assert.Equal(HttpStatusCode.OK, await ListAsync(Token(new ECDsaSecurityKey(_ec) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256)));

    [Fact]
    public async Task TokenFromAnUnpublishedKey_IsRefused()
    {
        using var other = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(Token(new RsaSecurityKey(other) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256)));
    }

    [Fact]
    public async Task Hs256Token_IsRefused_WhenOnlyAJwksIsConfigured()
    {
        var key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(48)) { KeyId = "rsa-1" };
        Assert.Equal(HttpStatusCode.Unauthorized, await ListAsync(Token(key, SecurityAlgorithms.HmacSha256)));
    }

    private async Task<HttpStatusCode> ListAsync(string token)
    {
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync($"http://127.0.0.1:{_apiPort}/sfp/api/integrations", Cancellation);
        return response.StatusCode;
    }

    private static string Token(SecurityKey key, string algorithm) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Audience = "authenticated",
            Expires = DateTime.UtcNow.AddMinutes(10),
            Subject = new ClaimsIdentity([new Claim("sub", Guid.NewGuid().ToString())]),
            Claims = new Dictionary<string, object> { ["app_metadata"] = new Dictionary<string, object> { ["sfp_role"] = "member" } },
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    private async Task<WebApplication> StartJwksAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var rsa = _rsa.ExportParameters(false);
        var ec = _ec.ExportParameters(false);
        var document = $$"""
            {"keys":[
              {"kty":"RSA","kid":"rsa-1","use":"sig","alg":"RS256","n":"{{Base64UrlEncoder.Encode(rsa.Modulus)}}","e":"{{Base64UrlEncoder.Encode(rsa.Exponent)}}"},
              {"kty":"EC","kid":"ec-1","use":"sig","alg":"ES256","crv":"P-256","x":"{{Base64UrlEncoder.Encode(ec.Q.X)}}","y":"{{Base64UrlEncoder.Encode(ec.Q.Y)}}"}
            ]}
            """;
        app.MapGet("/auth/v1/.well-known/jwks.json", () => Results.Text(document, "application/json"));
        await app.StartAsync();
        return app;
    }
}

using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SfpPlatform.Core.Auth;

namespace SfpPlatform.Api.Auth;

internal static class AuthExtensions
{
    public static void AddPlatformAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((bearer, authOptions) => Configure(bearer, authOptions.Value));

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PlatformPolicies.Manage, p => p.RequireClaim(PlatformRoles.ClaimType, PlatformRoles.Owner))
            .AddPolicy(PlatformPolicies.Read, p => p.RequireClaim(PlatformRoles.ClaimType, [.. PlatformRoles.All]));
    }

    private static void Configure(JwtBearerOptions bearer, AuthOptions auth)
    {
        bearer.MapInboundClaims = false;
        bearer.IncludeErrorDetails = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateAudience = true,
            ValidAudience = auth.Audience,
            ValidateIssuer = auth.Issuer is not null,
            ValidIssuer = auth.Issuer,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
            NameClaimType = "sub",
            RoleClaimType = PlatformRoles.ClaimType,
            IssuerSigningKey = auth.JwtSecret is { Length: > 0 } secret
                ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret))
                : null,
        };

        if (auth.JwksUrl is { Length: > 0 } jwksUrl)
        {
            bearer.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                jwksUrl, new JwksRetriever(), new HttpDocumentRetriever { RequireHttps = jwksUrl.StartsWith("https:", StringComparison.Ordinal) });
        }

        bearer.Events = new JwtBearerEvents { OnTokenValidated = AddPlatformRole };
    }

    /// <summary>GoTrue keeps custom claims in <c>app_metadata</c>; lift <c>app_metadata.sfp_role</c> into a claim.</summary>
    private static Task AddPlatformRole(TokenValidatedContext context)
    {
        var identity = (ClaimsIdentity)context.Principal!.Identity!;
        foreach (var existing in identity.FindAll(PlatformRoles.ClaimType).ToList())
        {
            identity.RemoveClaim(existing);
        }

        if (identity.FindFirst("app_metadata")?.Value is { } appMetadata)
        {
            try
            {
                using var json = JsonDocument.Parse(appMetadata);
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty(PlatformRoles.ClaimType, out var role)
                    && role.ValueKind == JsonValueKind.String
                    && PlatformRoles.All.Contains(role.GetString()))
                {
                    identity.AddClaim(new Claim(PlatformRoles.ClaimType, role.GetString()!));
                }
            }
            catch (JsonException)
            {
                // A malformed app_metadata grants no role.
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Reads a bare JWKS document (no OpenID discovery) as the signing keys.</summary>
    private sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
            var configuration = new OpenIdConnectConfiguration();
            foreach (var key in keys.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }

            return configuration;
        }
    }
}

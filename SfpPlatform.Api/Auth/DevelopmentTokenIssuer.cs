using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SfpPlatform.Contracts.Auth;
using SfpPlatform.Core.Auth;

namespace SfpPlatform.Api.Auth;

/// <summary>
/// Stands in for GoTrue where none runs (the local-processes runtime), in Development only: signs a token for a
/// role with the same secret and claims GoTrue would use. <c>POST /sfp/api/dev/token {"role":"owner"}</c>.
/// </summary>
public static class DevelopmentTokenIssuer
{
    public static IEndpointRouteBuilder MapDevelopmentTokenIssuer(this IEndpointRouteBuilder app)
    {
        app.MapPost("/sfp/api/dev/token", Issue)
            .WithName("IssueDevelopmentToken")
            .WithTags("Development")
            .WithSummary("Development only: a GoTrue-compatible token for a platform role.")
            .AllowAnonymous();
        return app;
    }

    internal static async Task<Results<Ok<DevelopmentTokenResponse>, ValidationProblem>> Issue(
        DevelopmentTokenRequest request, IOptions<AuthOptions> options, TimeProvider time, SfpPlatform.Core.Audit.AuditLog audit, CancellationToken cancellationToken)
    {
        if (request.Role is null || !PlatformRoles.All.Contains(request.Role))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["role"] = [$"The role must be one of {string.Join(", ", PlatformRoles.All)}."],
            });
        }

        const int lifetime = 3600;
        var subject = request.Subject ?? $"dev-{request.Role}";
        var token = CreateToken(options.Value, request.Role, subject, time.GetUtcNow(), TimeSpan.FromSeconds(lifetime));
        await audit.RecordAsync(new SfpPlatform.Core.Audit.AuditActor(subject, request.Role), SfpPlatform.Core.Audit.AuditActions.TokenIssued,
            $"token:{subject}", detail: "development issuer", cancellationToken: cancellationToken);
        return TypedResults.Ok(new DevelopmentTokenResponse(token, "bearer", lifetime, request.Role));
    }

    /// <summary>A token shaped like GoTrue's, signed HS256 with the configured secret.</summary>
    public static string CreateToken(AuthOptions auth, string role, string subject, DateTimeOffset now, TimeSpan lifetime)
    {
        var secret = auth.JwtSecret ?? throw new InvalidOperationException("Auth:JwtSecret is required to issue development tokens.");
        var descriptor = new SecurityTokenDescriptor
        {
            Audience = auth.Audience,
            Issuer = auth.Issuer ?? "sfp-development-issuer",
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", "authenticated")]),
            Claims = new Dictionary<string, object> { ["app_metadata"] = new Dictionary<string, object> { [PlatformRoles.ClaimType] = role } },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}

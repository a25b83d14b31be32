using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>Tokens shaped as GoTrue issues them (HS256, aud authenticated, role in app_metadata.sfp_role).</summary>
public static class PlatformTokens
{
    public static string Create(
        string secret, string? role, string audience = "authenticated", TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null, string? subject = null)
    {
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object> { ["role"] = "authenticated", ["email"] = $"{role ?? "nobody"}@example.com" };
        claims["app_metadata"] = role is null
            ? new Dictionary<string, object> { ["provider"] = "email" }
            : new Dictionary<string, object> { ["provider"] = "email", ["sfp_role"] = role };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Audience = audience,
            Issuer = "http://localhost/auth/v1",
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            Subject = new ClaimsIdentity([new Claim("sub", subject ?? Guid.NewGuid().ToString())]),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }
}

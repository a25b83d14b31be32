using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Auth;

/// <summary>How bearer tokens are checked (<c>Auth</c> section); compatible with Supabase GoTrue.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>GoTrue's JWT secret, for HS256 tokens (at least 32 characters).</summary>
    public string? JwtSecret { get; set; }

    /// <summary>A JWKS document for RS256/ES256 tokens (e.g. GoTrue's <c>/auth/v1/.well-known/jwks.json</c>).</summary>
    public string? JwksUrl { get; set; }

    /// <summary>The audience every token must carry.</summary>
    public string Audience { get; set; } = "authenticated";

    /// <summary>The issuer to require, if any (GoTrue: its external URL + <c>/auth/v1</c>).</summary>
    public string? Issuer { get; set; }
}

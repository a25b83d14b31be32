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

public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(options.JwtSecret) && string.IsNullOrEmpty(options.JwksUrl))
        {
            errors.Add("Auth:JwtSecret or Auth:JwksUrl must be set: the Api cannot check tokens without a key.");
        }

        if (options.JwtSecret is { Length: > 0 and < 32 })
        {
            errors.Add("Auth:JwtSecret must be at least 32 characters.");
        }

        if (options.JwksUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors.Add($"Auth:JwksUrl '{url}' is not an absolute URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

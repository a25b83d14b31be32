using System.Globalization;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SfpPlatform.Core.Providers.GitHub;

/// <summary>
/// The GitHub App's own JWT: RS256 with the app's private key, <c>iat</c> 60 s in the past (clock drift),
/// <c>exp</c> 9 minutes ahead (GitHub allows at most 10), <c>iss</c> the client id or app id.
/// </summary>
public static class GitHubAppJwt
{
    public static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    public static string Create(string issuer, string privateKeyPem, DateTimeOffset now)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            IssuedAt = (now - Backdate).UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)), SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The issuer GitHub expects: the client id when there is one, otherwise the numeric app id.</summary>
    public static string Issuer(long appId, string? clientId) =>
        clientId ?? appId.ToString(CultureInfo.InvariantCulture);
}

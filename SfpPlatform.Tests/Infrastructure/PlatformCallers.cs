using System.Net.Http.Headers;
using SfpPlatform.Tests.Integrations;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>Who calls the Api in the access matrices.</summary>
public enum Caller { Anonymous, Member, Application, Owner, NoRole, Expired, WrongAudience, WrongSignature }

public static class PlatformCallers
{
    /// <summary>An edge client presenting the caller's token (none for anonymous).</summary>
    public static async Task<HttpClient> ClientAsync(PlatformAppFixture platform, Caller caller)
    {
        var secret = await platform.JwtSecretAsync();
        var token = caller switch
        {
            Caller.Anonymous => null,
            Caller.Member => PlatformTokens.Create(secret, "member"),
            Caller.Application => PlatformTokens.Create(secret, "application"),
            Caller.Owner => PlatformTokens.Create(secret, "owner"),
            Caller.NoRole => PlatformTokens.Create(secret, null),
            Caller.Expired => PlatformTokens.Create(secret, "owner", lifetime: TimeSpan.FromMinutes(5), issuedAt: DateTimeOffset.UtcNow.AddHours(-2)),
            Caller.WrongAudience => PlatformTokens.Create(secret, "owner", audience: "anon"),
            Caller.WrongSignature => PlatformTokens.Create(new string('x', 48), "owner"),
            _ => throw new ArgumentOutOfRangeException(nameof(caller)),
        };
        var client = platform.CreateEdgeClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>The documented answer: 401 without a valid token, 403 without the role, else admitted (0).</summary>
    public static int Expected(Caller caller, bool manage, bool anonymousAllowed = false) => caller switch
    {
        _ when anonymousAllowed => 0,
        Caller.Anonymous or Caller.Expired or Caller.WrongAudience or Caller.WrongSignature => 401,
        Caller.NoRole => 403,
        Caller.Owner => 0,
        _ => manage ? 403 : 0,
    };
}

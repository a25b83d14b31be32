namespace SfpPlatform.Tests.Infrastructure;

/// <summary>Who calls the Api in the access matrices (and who a test signs in as: <see cref="PlatformAppFixture.ClientAsync"/>).</summary>
public enum Caller { Anonymous, Member, Application, Owner, NoRole, Expired, WrongAudience, WrongSignature }

public static class PlatformCallers
{
    /// <summary>The fixture's <see cref="PlatformAppFixture.ClientAsync"/>, kept for the tests that call it here.</summary>
    public static Task<HttpClient> ClientAsync(PlatformAppFixture platform, Caller caller) => platform.ClientAsync(caller);

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

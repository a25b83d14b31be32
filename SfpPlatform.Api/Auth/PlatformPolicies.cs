namespace SfpPlatform.Api.Auth;

public static class PlatformPolicies
{
    /// <summary>Owners only.</summary>
    public const string Manage = "manage";

    /// <summary>Any platform role.</summary>
    public const string Read = "read";
}

namespace SfpPlatform.Api.Auth;

/// <summary>
/// The platform's roles, carried in the token as <c>app_metadata.sfp_role</c> (set through GoTrue's admin API) and
/// surfaced as the <see cref="ClaimType"/> claim.
/// </summary>
public static class PlatformRoles
{
    public const string ClaimType = "sfp_role";

    /// <summary>Manages integrations and settings.</summary>
    public const string Owner = "owner";

    /// <summary>Reads.</summary>
    public const string Member = "member";

    /// <summary>Automation (CI, scripts): reads.</summary>
    public const string Application = "application";

    public static readonly IReadOnlyList<string> All = [Owner, Member, Application];
}

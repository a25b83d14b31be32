namespace SfpPlatform.Web;

/// <summary>The claims the web app keeps in its (encrypted) sign-in cookie.</summary>
public static class WebClaims
{
    /// <summary>The user's Api token, sent server side with every Api call; never rendered.</summary>
    public const string AccessToken = "sfp_access_token";

    /// <summary>The platform role (owner, member, application) from the token's <c>app_metadata.sfp_role</c>.</summary>
    public const string Role = "sfp_role";

    /// <summary>The <see cref="Role"/> that may change things (the Api's <c>PlatformRoles.Owner</c>): the pages show their controls to it only.</summary>
    public const string OwnerRole = "owner";

    public const string Name = "name";

    /// <summary>GoTrue's refresh token (single use; replaced at each refresh), where GoTrue signed the user in.</summary>
    public const string RefreshToken = "sfp_refresh_token";

    /// <summary>The access token's expiry (Unix seconds): the web app refreshes the session before it.</summary>
    public const string AccessTokenExpires = "sfp_access_token_exp";
}

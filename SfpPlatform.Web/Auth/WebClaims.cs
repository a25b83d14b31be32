namespace SfpPlatform.Web;

/// <summary>The claims the web app keeps in its (encrypted) sign-in cookie.</summary>
public static class WebClaims
{
    /// <summary>The user's Api token, sent server side with every Api call; never rendered.</summary>
    public const string AccessToken = "sfp_access_token";

    /// <summary>The platform role (owner, member, application) from the token's <c>app_metadata.sfp_role</c>.</summary>
    public const string Role = "sfp_role";

    public const string Name = "name";
}

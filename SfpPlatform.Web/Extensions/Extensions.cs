using Microsoft.AspNetCore.Authentication.Cookies;
using SfpPlatform.Web.Api;
using SfpPlatform.Web.Auth;

namespace SfpPlatform.Web.Extensions;

internal static class Extensions
{
    public static void AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        // Sign-in: a cookie holding the user's Api token (encrypted by data protection), for the token's lifetime.
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/signin";
                options.AccessDeniedPath = "/signin";
                options.Cookie.Name = "sfp.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = false;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddSingleton<SignInOptions>();

        // The Api over service discovery; every outbound client gets the standard resilience from ServiceDefaults.
        var api = new Uri("https+http://api");
        builder.Services.AddHttpClient(SignInEndpoints.ApiClientName, client => client.BaseAddress = api);
        builder.Services.AddHttpClient<PlatformApi>(client => client.BaseAddress = api);
    }
}

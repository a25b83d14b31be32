using Microsoft.AspNetCore.Authentication.Cookies;
using SfpPlatform.Web.Auth;
using SfpPlatform.Web.Services;

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

        // Typed clients over the contract's records (eShop's CatalogService), all calling through PlatformApi.
        builder.Services.AddTransient<IntegrationsClient>();
        builder.Services.AddTransient<DeliveriesClient>();
        builder.Services.AddTransient<RunsClient>();
        builder.Services.AddTransient<EnvironmentsClient>();
        builder.Services.AddTransient<RoutingRulesClient>();
        builder.Services.AddTransient<PlatformHealthClient>();
    }
}

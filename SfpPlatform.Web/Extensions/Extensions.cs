using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using SfpPlatform.Core.Data;
using SfpPlatform.Topology;
using SfpPlatform.Web.Auth;
using SfpPlatform.Web.Services;

namespace SfpPlatform.Web.Extensions;

internal static class Extensions
{
    public static void AddWebServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();

        // The Data Protection key ring lives in the platform database, so a restarted (or another) Web instance reads the
        // cookies the last one issued: nobody is signed out by a deploy. The Api creates the table (it owns the schema).
        builder.AddNpgsqlDbContext<SfpDbContext>(ServiceNames.Database, configureDbContextOptions: options => options.UseSfpConventions());
        builder.Services.AddDataProtection().SetApplicationName("SfpPlatform.Web").PersistKeysToDbContext<SfpDbContext>();

        // Sign-in: a cookie holding the user's Api token (encrypted by data protection); refreshed through GoTrue before it expires.
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/signin";
                options.AccessDeniedPath = "/signin";
                options.Cookie.Name = "sfp.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.SlidingExpiration = false;
                options.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<GoTrueSessions>().ValidateAsync(context);
            });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GoTrueSessions>();
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
        builder.Services.AddTransient<SchedulesClient>();
        builder.Services.AddTransient<EnvironmentsClient>();
        builder.Services.AddTransient<RoutingRulesClient>();
        builder.Services.AddTransient<PlatformHealthClient>();
        builder.Services.AddTransient<AuditClient>();
        builder.Services.AddTransient<StatsClient>();
    }
}

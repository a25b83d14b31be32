using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Routing.Matching;
using SfpPlatform.Topology;
using SfpPlatform.Edge.Routing;

namespace SfpPlatform.Edge.Extensions;

internal static class Extensions
{
    public static void AddEdgeServices(this WebApplicationBuilder builder)
    {
        var topology = PlatformTopology.Default;
        var edge = builder.Configuration.GetSection(EdgeOptions.SectionName).Get<EdgeOptions>() ?? new EdgeOptions();

        builder.Services.AddOptions<EdgeOptions>().BindConfiguration(EdgeOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EdgeOptions>, EdgeOptionsValidator>();
        builder.Services.AddSingleton(topology);
        builder.Services.AddSingleton<EdgeListeners>();
        builder.Services.AddSingleton<MatcherPolicy, ListenerMatcherPolicy>();

        builder.AddListeners(topology, edge);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = topology.MaxRequestBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
            kestrel.AddServerHeader = false;
        });

        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            // Believe X-Forwarded-For only from configured proxies (UseTrustedForwardedHeaders skips the
            // middleware altogether when there are none: with empty lists it would believe everyone).
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var proxy in edge.TrustedProxies)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
        });

        var (routes, clusters) = TopologyProxyConfig.Build(topology, builder.Configuration);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .ConfigureHttpClient((_, handler) => handler.ConnectTimeout = topology.UpstreamConnectTimeout)
            .AddServiceDiscoveryDestinationResolver();
    }

    /// <summary>
    /// Applies X-Forwarded-For/Proto from the configured trusted proxies only. With none configured the
    /// client address stays the connection's own, whatever the request claims.
    /// </summary>
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<EdgeOptions>>().Value.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>
    /// Listens on the management port (loopback) and on each admin port beside the public URLs. Aspire leaves an
    /// endpoint that names its own port variable out of ASPNETCORE_URLS, so the edge adds them itself.
    /// </summary>
    private static void AddListeners(this WebApplicationBuilder builder, PlatformTopology topology, EdgeOptions edge)
    {
        var urls = (builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? "http://localhost:5000")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
        var host = urls.Select(u => new Uri(u.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal)).Host)
            .FirstOrDefault() ?? "localhost";

        foreach (var admin in topology.AdminServices)
        {
            if (TopologyProxyConfig.IsDiscoverable(builder.Configuration, admin.Service))
            {
                urls.Add($"http://{host}:{EdgeListeners.AdminPort(admin, edge)}");
            }
        }

        if (edge.ManagementPort is { } management)
        {
            urls.Add($"http://127.0.0.1:{management}");
        }

        builder.WebHost.UseUrls([.. urls]);
    }
}

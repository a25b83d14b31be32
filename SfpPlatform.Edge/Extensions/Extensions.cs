using SfpPlatform.Core.Topology;
using SfpPlatform.Edge.Routing;

namespace SfpPlatform.Edge.Extensions;

internal static class Extensions
{
    public static void AddEdgeServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeOptions>().BindConfiguration("Edge");
        builder.AddManagementListener();
        builder.Services.AddSingleton(PlatformTopology.Default);

        var (routes, clusters) = TopologyProxyConfig.Build(PlatformTopology.Default, builder.Configuration);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddServiceDiscoveryDestinationResolver();
    }

    /// <summary>
    /// Listens on the management port beside the public URLs (Aspire leaves an endpoint that names its own port
    /// variable out of ASPNETCORE_URLS). Loopback only: probes are for the orchestrator on this host.
    /// </summary>
    private static void AddManagementListener(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<int?>("Edge:ManagementPort") is not { } port)
        {
            return;
        }

        var urls = (builder.Configuration[WebHostDefaults.ServerUrlsKey] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.WebHost.UseUrls([.. urls, $"http://127.0.0.1:{port}"]);
    }
}

using SfpPlatform.Core.Topology;
using SfpPlatform.Edge.Routing;

namespace SfpPlatform.Edge.Extensions;

internal static class Extensions
{
    public static void AddEdgeServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EdgeOptions>().BindConfiguration("Edge");
        builder.Services.AddSingleton(PlatformTopology.Default);

        var (routes, clusters) = TopologyProxyConfig.Build(PlatformTopology.Default, builder.Configuration);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddServiceDiscoveryDestinationResolver();
    }
}

using SfpPlatform.Core.Topology;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace SfpPlatform.Edge.Routing;

/// <summary>Turns the platform topology into YARP routes and clusters, mirroring what the Caddyfile says.</summary>
public static class TopologyProxyConfig
{
    /// <summary>
    /// Builds the routes and clusters. A service is routed only where service discovery knows it
    /// (<c>services:{name}</c> in configuration); a route to an absent service answers 503 instead.
    /// </summary>
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(
        PlatformTopology topology, IConfiguration configuration)
    {
        var routes = new List<RouteConfig>();
        var clusters = new Dictionary<string, ClusterConfig>(StringComparer.Ordinal);
        var catchAll = topology.Routes.Single(r => r.IsCatchAll);

        foreach (var route in topology.Routes)
        {
            if (!IsDiscoverable(configuration, route.Service))
            {
                continue;
            }

            clusters.TryAdd(route.Service, new ClusterConfig
            {
                ClusterId = route.Service,
                Destinations = new Dictionary<string, DestinationConfig>
                {
                    // Resolved by Aspire service discovery ("services:{name}:http:0").
                    [route.Service] = new() { Address = $"http://{route.Service}" },
                },
            });

            if (route.IsCatchAll)
            {
                routes.Add(new RouteConfig
                {
                    RouteId = route.Id,
                    ClusterId = route.Service,
                    Order = int.MaxValue,
                    Match = new RouteMatch { Path = "/{**rest}" },
                });
                continue;
            }

            var prefixed = new RouteConfig
            {
                RouteId = route.Id,
                ClusterId = route.Service,
                Order = 0,
                Match = new RouteMatch { Path = route.Prefix + "/{**rest}" },
            };
            routes.Add(route.StripPrefix ? prefixed.WithTransformPathRemovePrefix(route.Prefix) : prefixed);

            // Caddy's "handle /sfp/*" does not take "/sfp" itself; it falls through to the catch-all.
            routes.Add(new RouteConfig
            {
                RouteId = route.Id + "-bare",
                ClusterId = catchAll.Service,
                Order = -1,
                Match = new RouteMatch { Path = route.Prefix },
            });
        }

        return (routes, clusters.Values.ToList());
    }

    internal static bool IsDiscoverable(IConfiguration configuration, string service) =>
        configuration.GetSection($"services:{service}").Exists();
}

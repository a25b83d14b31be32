using SfpPlatform.Topology;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace SfpPlatform.Edge.Routing;

/// <summary>Turns the platform topology into YARP routes and clusters, mirroring what the Caddyfile says.</summary>
public static class TopologyProxyConfig
{
    /// <summary>Route metadata key naming the listener a route belongs to: <c>public</c> or an admin id.</summary>
    public const string ListenerKey = "sfp.listener";

    public const string PublicListener = "public";

    /// <summary>Route metadata key of a path the route takes exactly (no forgiven trailing slash).</summary>
    public const string ExactPathKey = "sfp.exact-path";

    /// <summary>
    /// Builds the routes and clusters. A service is routed only where service discovery knows it
    /// (<c>services:{name}</c> in configuration); elsewhere its paths fall through as Caddy's would to nothing.
    /// </summary>
    public static (IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters) Build(
        PlatformTopology topology, IConfiguration configuration)
    {
        var routes = new List<RouteConfig>();
        var clusters = new Dictionary<string, ClusterConfig>(StringComparer.Ordinal);
        var catchAll = topology.Routes.Single(r => r.IsCatchAll);

        foreach (var route in topology.Routes.Where(r => IsDiscoverable(configuration, r.Service)))
        {
            clusters.TryAdd(route.Service, Cluster(topology, route.Service));

            if (route.IsCatchAll)
            {
                routes.Add(Public(route.Id, route.Service, "/{**rest}", int.MaxValue));
                continue;
            }

            var prefixed = Public(route.Id, route.Service, route.Prefix + "/{**rest}", 0);
            routes.Add(route.StripPrefix ? prefixed.WithTransformPathRemovePrefix(route.Prefix) : prefixed);

            // Caddy's "handle /sfp/*" does not take "/sfp" itself; it falls through to the catch-all.
            routes.Add(Public(route.Id + "-bare", catchAll.Service, route.Prefix, -1, exactPath: route.Prefix));
        }

        foreach (var admin in topology.AdminServices.Where(a => IsDiscoverable(configuration, a.Service)))
        {
            clusters.TryAdd(admin.Service, Cluster(topology, admin.Service));
            routes.Add(new RouteConfig
            {
                RouteId = "admin-" + admin.Id,
                ClusterId = admin.Service,
                Match = new RouteMatch { Path = "/{**rest}" },
                Metadata = new Dictionary<string, string> { [ListenerKey] = admin.Id },
            }.WithTransformUseOriginalHostHeader());
        }

        return (routes, clusters.Values.ToList());
    }

    internal static bool IsDiscoverable(IConfiguration configuration, string service) =>
        configuration.GetSection($"services:{service}").Exists();

    private static RouteConfig Public(string id, string cluster, string path, int order, string? exactPath = null)
    {
        var metadata = new Dictionary<string, string> { [ListenerKey] = PublicListener };
        if (exactPath is not null)
        {
            metadata[ExactPathKey] = exactPath;
        }

        return new RouteConfig
        {
            RouteId = id,
            ClusterId = cluster,
            Order = order,
            Match = new RouteMatch { Path = path },
            Metadata = metadata,
        }.WithTransformUseOriginalHostHeader();
    }

    private static ClusterConfig Cluster(PlatformTopology topology, string service) => new()
    {
        ClusterId = service,
        Destinations = new Dictionary<string, DestinationConfig>
        {
            // Resolved by Aspire service discovery ("services:{name}:http:0").
            [service] = new() { Address = $"http://{service}" },
        },
        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig
        {
            ActivityTimeout = topology.UpstreamResponseTimeout,
        },
        // As Caddy's health_uri: the watched service is taken out while its /health fails, and with no healthy
        // destination left the edge answers with the maintenance page.
        HealthCheck = service == topology.MaintenanceService
            ? new HealthCheckConfig
            {
                AvailableDestinationsPolicy = "HealthyAndUnknown",
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = TimeSpan.FromSeconds(5),
                    Timeout = TimeSpan.FromSeconds(3),
                    Policy = "ConsecutiveFailures",
                    Path = "/health",
                },
            }
            : null,
    };
}

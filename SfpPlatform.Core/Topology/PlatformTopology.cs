namespace SfpPlatform.Core.Topology;

/// <summary>
/// The single description of what the edge exposes. The AppHost, the YARP edge and the deploy generator all
/// read it, so the local edge and production's Caddy cannot drift apart.
/// </summary>
public sealed record PlatformTopology
{
    /// <summary>Public path routes, most specific first; the last one is the catch-all.</summary>
    public required IReadOnlyList<PathRoute> Routes { get; init; }

    /// <summary>
    /// Paths every service answers for its probes. The edge never forwards them from the public listener: the
    /// edge answers 404 for them there, and serves its own on the management listener.
    /// </summary>
    public required IReadOnlyList<string> InternalPaths { get; init; }

    /// <summary>The service whose outage the edge covers with the maintenance page.</summary>
    public required string MaintenanceService { get; init; }

    /// <summary>The host port the edge (Caddy in production) listens on for plain HTTP locally.</summary>
    public int EdgePort { get; init; } = 8080;

    /// <summary>The platform's topology.</summary>
    public static PlatformTopology Default { get; } = new()
    {
        Routes =
        [
            new PathRoute("auth", "/auth/v1", ServiceNames.Auth, StripPrefix: true),
            new PathRoute("api", "/sfp", ServiceNames.Api),
            new PathRoute("web", "", ServiceNames.Web),
        ],
        InternalPaths = ["/health", "/alive"],
        MaintenanceService = ServiceNames.Api,
    };

    /// <summary>The route a path takes, as Caddy's first matching <c>handle</c> block would choose it.</summary>
    public PathRoute Match(string path)
    {
        foreach (var route in Routes)
        {
            if (route.IsCatchAll || path.StartsWith(route.Prefix + "/", StringComparison.Ordinal))
            {
                return route;
            }
        }

        throw new InvalidOperationException("The topology has no catch-all route.");
    }

    /// <summary>True when <paramref name="path"/> is a probe path (or below one) that the edge keeps private.</summary>
    public bool IsInternalPath(string path) =>
        InternalPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase));
}

using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SfpPlatform.Topology;

/// <summary>
/// The single description of what the edge exposes. The AppHost, the YARP edge and the deploy generator all
/// read it, so the local edge and production's Caddy cannot drift apart.
/// </summary>
public sealed record PlatformTopology
{
    /// <summary>Public path routes, most specific first; the last one is the catch-all.</summary>
    public required IReadOnlyList<PathRoute> Routes { get; init; }

    /// <summary>
    /// Paths every service answers for its probes. The edge never forwards them from the public listener: it
    /// answers 404 for them there (any letter case, and anything below them).
    /// </summary>
    public required IReadOnlyList<string> InternalPaths { get; init; }

    /// <summary>
    /// Paths below a route that are never forwarded from the public listener (404, any letter case, and anything below
    /// them): GoTrue's admin API, which Supabase's Kong closes to the public and which only sfp-platform.sh uses, from
    /// inside the network.
    /// </summary>
    public IReadOnlyList<string> ClosedPaths { get; init; } = [];

    /// <summary>Operator-only services, each on its own allowlisted port.</summary>
    public required IReadOnlyList<AdminService> AdminServices { get; init; }

    /// <summary>Client networks (CIDR) allowed on the admin ports unless the operator configures others.</summary>
    public required IReadOnlyList<string> AdminAllowlist { get; init; }

    /// <summary>The service whose health the edge watches; its outage shows the maintenance page.</summary>
    public required string MaintenanceService { get; init; }


    /// <summary>The host port the local edge listens on for plain HTTP.</summary>
    public int EdgePort { get; init; } = 8080;

    /// <summary>The largest request body accepted: GitHub caps webhook payloads at 25 MB.</summary>
    public long MaxRequestBodyBytes { get; init; } = 25L * 1024 * 1024;

    /// <summary>How long an upstream may take to send its response headers before the edge gives up.</summary>
    public TimeSpan UpstreamResponseTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long to dial an upstream before counting it as down.</summary>
    public TimeSpan UpstreamConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>Retry-After</c> seconds of the maintenance answer.</summary>
    public int MaintenanceRetryAfterSeconds { get; init; } = 30;

    /// <summary>
    /// Request targets (path and query as sent) refused with 400 by both edges before routing, because proxies and
    /// upstreams would resolve them differently: encoded slashes and backslashes, percent-encoded characters that
    /// never need encoding (letters, digits, <c>-._~</c>), backslashes, empty segments (<c>//</c>) and
    /// dot-segments. The query is not inspected. Written for both .NET and RE2 (Caddy's CEL); no braces.
    /// </summary>
    public string RejectedTargetPattern { get; init; } =
        @"(?i)^[^?#]*(?:%2f|%5c|%(?:3[0-9]|[46][1-9a-f]|[57][0-9a]|2d|2e|5f|7e)|\\|//|/\.\.?(?:/|\?|#|$))";

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
        ClosedPaths = ["/auth/v1/admin"],
        AdminServices =
        [
            new AdminService("hatchet", ServiceNames.Hatchet, 8443, "Hatchet dashboard"),
            new AdminService("studio", ServiceNames.Studio, 8444, "Supabase Studio") { BasicAuth = true },
            new AdminService("verdaccio", ServiceNames.Verdaccio, 8445, "Verdaccio (private npm registry)"),
        ],
        AdminAllowlist = ["127.0.0.1/32", "::1/128"],
        MaintenanceService = ServiceNames.Api,
    };

    /// <summary>The route a path takes, as Caddy's first matching <c>handle</c> block would choose it.</summary>
    public PathRoute Match(string path)
    {
        foreach (var route in Routes)
        {
            // Caddy's path matcher, like ASP.NET Core routing, ignores letter case.
            if (route.IsCatchAll || path.StartsWith(route.Prefix + "/", StringComparison.OrdinalIgnoreCase))
            {
                return route;
            }
        }

        throw new InvalidOperationException("The topology has no catch-all route.");
    }

    /// <summary>Every path the public listener answers 404 for: probe paths and closed paths.</summary>
    public IEnumerable<string> RefusedPaths => InternalPaths.Concat(ClosedPaths);

    /// <summary>True when <paramref name="path"/> is a probe or closed path (or below one) that the edge keeps private.</summary>
    public bool IsInternalPath(string path) =>
        RefusedPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the raw request target (path and query as sent) must be refused with 400.</summary>
    public bool IsRejectedTarget(string rawTarget) =>
        RejectedTargets.GetOrAdd(RejectedTargetPattern, p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)).IsMatch(rawTarget);

    // Built once per pattern, without backtracking (RE2's semantics, as Caddy matches it: linear in the target's length),
    // so it needs no match timeout: with one, a CPU starved for 100 ms under load turned an authentic delivery into a 500.
    private static readonly ConcurrentDictionary<string, Regex> RejectedTargets = new(StringComparer.Ordinal);
}

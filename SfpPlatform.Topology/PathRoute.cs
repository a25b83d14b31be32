namespace SfpPlatform.Topology;

/// <summary>
/// One public path route: requests whose path is <see cref="Prefix"/> followed by <c>/</c> and anything (Caddy's
/// <c>handle {Prefix}/*</c>) go to <see cref="Service"/>. A route with an empty prefix takes every path.
/// </summary>
/// <param name="Id">A stable identifier (YARP route id, Caddyfile comment).</param>
/// <param name="Prefix">The path prefix without a trailing slash, e.g. <c>/sfp</c>; empty for the catch-all.</param>
/// <param name="Service">The upstream service name (see <see cref="ServiceNames"/>).</param>
/// <param name="StripPrefix">Whether the prefix is removed before forwarding (as Kong does for <c>/auth/v1</c>).</param>
public sealed record PathRoute(string Id, string Prefix, string Service, bool StripPrefix = false)
{
    /// <summary>True for the route that takes every path not claimed by another.</summary>
    public bool IsCatchAll => Prefix.Length == 0;
}

namespace SfpPlatform.Topology;

/// <summary>
/// An operator-only service the edge serves on a port of its own, to allowlisted client addresses only
/// (Caddy: the admin subdomain's site on that port with a <c>remote_ip</c> matcher).
/// </summary>
/// <param name="Id">A stable identifier, also the configuration key of its port override.</param>
/// <param name="Service">The upstream service name.</param>
/// <param name="Port">The edge port it is served on.</param>
/// <param name="Title">What it is, for people reading the manifests.</param>
public sealed record AdminService(string Id, string Service, int Port, string Title)
{
    /// <summary>
    /// Production's Caddy also asks for a user name and password (<c>STUDIO_USERNAME</c>, <c>STUDIO_PASSWORD_HASH</c>):
    /// the service has no sign-in of its own, so the allowlist alone would be its only guard.
    /// </summary>
    public bool BasicAuth { get; init; }
}

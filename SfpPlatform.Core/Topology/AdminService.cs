namespace SfpPlatform.Core.Topology;

/// <summary>
/// An operator-only service the edge serves on a port of its own, to allowlisted client addresses only
/// (Caddy: the admin subdomain's site on that port with a <c>remote_ip</c> matcher).
/// </summary>
/// <param name="Id">A stable identifier, also the configuration key of its port override.</param>
/// <param name="Service">The upstream service name.</param>
/// <param name="Port">The edge port it is served on.</param>
/// <param name="UpstreamPort">The port the service listens on inside the deployment network.</param>
/// <param name="Title">What it is, for people reading the manifests.</param>
public sealed record AdminService(string Id, string Service, int Port, int UpstreamPort, string Title);

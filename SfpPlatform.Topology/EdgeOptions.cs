namespace SfpPlatform.Topology;

/// <summary>Settings of the edge, bound from the <c>Edge</c> configuration section.</summary>
public sealed class EdgeOptions
{
    public const string SectionName = "Edge";

    /// <summary>
    /// The port of the management listener (loopback), where the edge answers its own <c>/health</c> and
    /// <c>/alive</c>. Probe paths on every other listener get 404 and are never forwarded.
    /// </summary>
    public int? ManagementPort { get; set; }

    /// <summary>Admin service ports by admin id (e.g. <c>verdaccio</c>), overriding the topology's.</summary>
    public Dictionary<string, int> AdminPorts { get; set; } = [];

    /// <summary>Client networks (CIDR) allowed on the admin ports; the topology's defaults when empty.</summary>
    public List<string> AdminAllowlist { get; set; } = [];

    /// <summary>
    /// Proxies (CIDR) whose <c>X-Forwarded-For</c> is believed. Empty: none, so the client address is always
    /// the connection's own.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}

namespace SfpPlatform.Edge.Extensions;

/// <summary>Settings of the edge, bound from the <c>Edge</c> configuration section.</summary>
public sealed class EdgeOptions
{
    /// <summary>
    /// The port of the management listener, where the edge answers its own <c>/health</c> and <c>/alive</c>.
    /// Probe paths on any other port get 404 and are never forwarded. Unset: probes answer on every port.
    /// </summary>
    public int? ManagementPort { get; set; }
}

using System.Globalization;
using System.Text;

namespace SfpPlatform.Topology.Services;

/// <summary>Which part of a service's endpoint a value takes.</summary>
public enum EndpointPart
{
    /// <summary><c>scheme://host:port</c>.</summary>
    Url,

    /// <summary><c>host:port</c>.</summary>
    HostAndPort,

    /// <summary>The host name alone.</summary>
    Host,

    /// <summary>The port the service listens on inside its container.</summary>
    TargetPort,
}

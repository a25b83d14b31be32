using SfpPlatform.Topology.Services;

namespace SfpPlatform.Topology.Rendering;

/// <summary>How one Caddyfile is rendered from the topology.</summary>
public sealed record CaddyfileOptions
{
    public required TlsMode Mode { get; init; }

    /// <summary>The upstream address of a service (<c>host:port</c>); production uses compose service names.</summary>
    public required Func<string, string> UpstreamAddress { get; init; }

    /// <summary>The folder holding the certificate files (cloudflare, custom): where compose mounts TLS_CERT_DIR.</summary>
    public string CertificateDirectory { get; init; } = "/etc/caddy/certs";

    /// <summary>The folder holding <c>maintenance.html</c>.</summary>
    public string MaintenanceRoot { get; init; } = "/srv/maintenance";

    /// <summary>Plain HTTP only (<see cref="TlsMode.None"/>): the public site's port.</summary>
    public int HttpPort { get; init; } = 80;

    /// <summary>Plain HTTP only: the address sites bind to (loopback in tests).</summary>
    public string? BindAddress { get; init; }

    /// <summary>The port of each admin service by id; the topology's ports where absent.</summary>
    public IReadOnlyDictionary<string, int> AdminPorts { get; init; } = new Dictionary<string, int>();

    /// <summary>Rendered with this allowlist instead of the <c>SFP_ADMIN_ALLOWLIST</c> variable (tests).</summary>
    public IReadOnlyList<string>? FixedAdminAllowlist { get; init; }

    /// <summary>Production: every upstream by its compose service name and the port its contract names.</summary>
    public static CaddyfileOptions Production(PlatformDeployment deployment, TlsMode mode) => new()
    {
        Mode = mode,
        UpstreamAddress = service => $"{service}:{deployment.Service(service).Port("http").Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
    };
}

using System.Net;
using Microsoft.Extensions.Options;
using SfpPlatform.Topology;

namespace SfpPlatform.Edge.Extensions;

/// <summary>Which listener a connection came in on: public, one admin service's, or management.</summary>
public sealed class EdgeListeners
{
    private readonly Dictionary<int, AdminService> _adminByPort;

    public EdgeListeners(PlatformTopology topology, IOptions<EdgeOptions> options)
    {
        var edge = options.Value;
        ManagementPort = edge.ManagementPort;
        _adminByPort = topology.AdminServices.ToDictionary(admin => AdminPort(admin, edge));
        var allowlist = edge.AdminAllowlist.Count > 0 ? edge.AdminAllowlist : topology.AdminAllowlist;
        AdminAllowlist = [.. allowlist.Select(IPNetwork.Parse)];
    }

    public int? ManagementPort { get; }

    public IReadOnlyList<IPNetwork> AdminAllowlist { get; }

    public IReadOnlyDictionary<int, AdminService> AdminByPort => _adminByPort;

    public bool IsManagement(HttpContext context) => context.Connection.LocalPort == ManagementPort;

    public AdminService? AdminFor(HttpContext context) =>
        _adminByPort.GetValueOrDefault(context.Connection.LocalPort);

    public bool IsPublic(HttpContext context) => !IsManagement(context) && AdminFor(context) is null;

    public bool IsAllowedOnAdmin(IPAddress? client)
    {
        if (client is null)
        {
            return false;
        }

        var address = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
        return AdminAllowlist.Any(network => network.Contains(address));
    }

    /// <summary>The port of an admin service (after configuration overrides).</summary>
    public static int AdminPort(AdminService admin, EdgeOptions options) =>
        options.AdminPorts.TryGetValue(admin.Id, out var port) ? port : admin.Port;
}

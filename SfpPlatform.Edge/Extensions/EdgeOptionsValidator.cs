using System.Net;
using Microsoft.Extensions.Options;
using SfpPlatform.Topology;

namespace SfpPlatform.Edge.Extensions;

/// <summary>
/// The edge's settings, all errors at once, each naming its key: every allowlist and trusted-proxy entry a CIDR the edge
/// can parse (a bare FormatException at the first request told nobody which entry), ports in range, admin ports only
/// for the topology's admin services.
/// </summary>
public sealed class EdgeOptionsValidator(PlatformTopology topology) : IValidateOptions<EdgeOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
    {
        var errors = new List<string>();
        Networks(nameof(EdgeOptions.AdminAllowlist), options.AdminAllowlist, errors);
        Networks(nameof(EdgeOptions.TrustedProxies), options.TrustedProxies, errors);
        if (options.ManagementPort is { } management && management is < 1 or > 65535)
        {
            errors.Add($"{EdgeOptions.SectionName}:{nameof(EdgeOptions.ManagementPort)} is {management}: a port is 1-65535.");
        }

        foreach (var (admin, port) in options.AdminPorts)
        {
            if (!topology.AdminServices.Any(a => string.Equals(a.Id, admin, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"{EdgeOptions.SectionName}:{nameof(EdgeOptions.AdminPorts)}:{admin} names no admin service "
                    + $"(known: {string.Join(", ", topology.AdminServices.Select(a => a.Id))}).");
            }

            if (port is < 1 or > 65535)
            {
                errors.Add($"{EdgeOptions.SectionName}:{nameof(EdgeOptions.AdminPorts)}:{admin} is {port}: a port is 1-65535.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Networks(string key, List<string> entries, List<string> errors)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (!IPNetwork.TryParse(entries[i], out _))
            {
                errors.Add($"{EdgeOptions.SectionName}:{key}:{i} is '{entries[i]}': not a CIDR (e.g. 203.0.113.0/24 or 2001:db8::/32).");
            }
        }
    }
}

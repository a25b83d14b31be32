using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace SfpPlatform.Core.Integrations;

/// <summary>
/// Which user-supplied URLs are accepted, as patterns (<c>Integrations:AllowedUrls:{provider}</c>). Configuration
/// adds to the defaults; tests add their loopback stand-ins. Placeholders: <c>{name}</c> (one DNS label),
/// <c>{domain}</c> (a host name), <c>{port}</c>. A pattern whose host is a placeholder never admits a loopback,
/// link-local, private or unspecified address, nor <c>localhost</c>: only a pattern naming the host itself (as an
/// operator adds for an internal server, or the tests for their stand-ins) does.
/// </summary>
public sealed class IntegrationOptions
{
    public const string SectionName = "Integrations";

    public const string AzureDevOps = "AzureDevOps";
    public const string Salesforce = "Salesforce";
    public const string GitHubEnterprise = "GitHubEnterprise";

    public Dictionary<string, List<string>> AllowedUrls { get; set; } = new()
    {
        [AzureDevOps] = ["https://dev.azure.com/{name}", "https://{name}.visualstudio.com"],
        [Salesforce] = ["https://login.salesforce.com", "https://test.salesforce.com", "https://{name}.my.salesforce.com"],
        [GitHubEnterprise] = ["https://{domain}"],
    };

    /// <summary>True when <paramref name="url"/> (an absolute URL, trailing slash ignored) matches a pattern.</summary>
    public bool IsAllowed(string provider, string url)
    {
        var candidate = url.TrimEnd('/');
        var internalHost = Uri.TryCreate(candidate, UriKind.Absolute, out var uri) && IsInternalHost(uri.Host);
        return AllowedUrls.GetValueOrDefault(provider, [])
            .Any(pattern => ToRegex(pattern).IsMatch(candidate) && (!internalHost || NamesItsHost(pattern)));
    }

    /// <summary>
    /// True when a pattern of any provider writes out <paramref name="host"/> itself (not a placeholder) with
    /// <paramref name="port"/> (its explicit port, <c>{port}</c>, or the scheme's default): the operator allowed that
    /// host, so connecting to it is allowed whatever it resolves to.
    /// </summary>
    public bool NamesHost(string host, int port)
    {
        var name = host.Trim('[', ']').TrimEnd('.');
        foreach (var pattern in AllowedUrls.Values.SelectMany(p => p))
        {
            if (!NamesItsHost(pattern) || !Uri.TryCreate(pattern.Replace("{port}", "1", StringComparison.Ordinal).Split('{')[0], UriKind.Absolute, out var uri))
            {
                continue;
            }

            var anyPort = pattern.Contains(":{port}", StringComparison.Ordinal);
            if (uri.IdnHost.Trim('[', ']').Equals(name, StringComparison.OrdinalIgnoreCase) && (anyPort || uri.Port == port))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Loopback, link-local (cloud metadata), private, carrier-grade NAT, unspecified, or localhost.</summary>
    public static bool IsInternalHost(string host)
    {
        var name = host.Trim('[', ']').TrimEnd('.');
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(name, out var address) && IsInternalAddress(address);
    }

    /// <summary>Loopback, link-local (cloud metadata), private, carrier-grade NAT or unspecified.</summary>
    public static bool IsInternalAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (first & 0xFE) == 0xFC;
        }

        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }

    /// <summary>True when the pattern's host is written out, not a placeholder.</summary>
    private static bool NamesItsHost(string pattern)
    {
        var start = pattern.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? pattern : pattern[(start + 3)..];
        var host = rest.Split('/', 2)[0];
        host = host.StartsWith('[') ? host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)] : host.Split(':')[0];
        return !host.Contains('{', StringComparison.Ordinal);
    }

    private static Regex ToRegex(string pattern)
    {
        var escaped = Regex.Escape(pattern.TrimEnd('/'))
            .Replace(@"\{name}", "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", StringComparison.Ordinal)
            .Replace(@"\{domain}", "[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?", StringComparison.Ordinal)
            .Replace(@"\{port}", "[0-9]{1,5}", StringComparison.Ordinal);
        return new Regex("^" + escaped + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Providers;

/// <summary>
/// The URL allowlist, enforced where it cannot be talked around: when a provider client connects. The host is
/// resolved, and only addresses that are not loopback, link-local, private, carrier-grade NAT or unspecified are
/// dialled — a public name that resolves (or is rebound) to an internal address is refused like the address itself —
/// unless an <c>Integrations:AllowedUrls</c> pattern names the host itself (an operator's internal GitHub Enterprise
/// or Azure DevOps Server; the tests' loopback stand-ins, configured the same way). The socket connects to the
/// checked address, never to a second resolution.
/// </summary>
public sealed class OutboundConnectionGuard(IOptionsMonitor<IntegrationOptions> options)
{
    /// <summary>The primary handler of the provider clients: every connection goes through <see cref="ConnectAsync"/>.</summary>
    public SocketsHttpHandler CreateHandler() => new() { ConnectCallback = ConnectAsync };

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!options.CurrentValue.NamesHost(host, port))
        {
            var internalAddresses = addresses.Where(IntegrationOptions.IsInternalAddress).ToArray();
            addresses = [.. addresses.Except(internalAddresses)];
            if (addresses.Length == 0)
            {
                throw new OutboundConnectionRefusedException(
                    $"Refused to connect to {host}:{port}: it resolves to {string.Join(", ", internalAddresses.Select(a => a.ToString()))}, a loopback, " +
                    $"link-local or private address. An operator allows an internal host by naming it in {IntegrationOptions.SectionName}:AllowedUrls.");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>
/// A provider connection the URL allowlist refused (the handler hands it on inside an <see cref="HttpRequestException"/>):
/// no retry changes where a name resolves, so neither the pipeline nor a step retries it.
/// </summary>
public sealed class OutboundConnectionRefusedException(string message) : Exception(message)
{
    /// <summary>True when <paramref name="exception"/> is, or wraps, a refusal of the allowlist.</summary>
    public static bool In(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundConnectionRefusedException)
            {
                return true;
            }
        }

        return false;
    }
}

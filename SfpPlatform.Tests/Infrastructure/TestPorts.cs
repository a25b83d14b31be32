using System.Net;
using System.Net.Sockets;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// Loopback ports for the processes tests start (edges, Caddy, a second web app, stand-ins on a fixed port). A port
/// from the kernel (bind to port 0, then release) lies in the ephemeral range, where any outbound connection of the
/// busy test run, or the next bind to port 0 (Aspire's DCP, another test), may take it before the process it was
/// meant for binds it, and two calls may even return the same port. So ports come from below the ephemeral range,
/// where the kernel hands out none by itself, each at most once per test process (from a random start, so test
/// processes running side by side rarely meet), and each checked free with a bind.
/// </summary>
public static class TestPorts
{
    private const int Lowest = 20_000;

    private static readonly object Gate = new();
    private static readonly int Highest = Math.Max(Lowest + 999, Math.Min(32_000, EphemeralRangeStart() - 1));
    private static int _next = Random.Shared.Next(Lowest, Highest + 1);
    private static int _handedOut;

    /// <summary>A loopback port no one listened on a moment ago and this process has not handed out before.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            while (_handedOut <= Highest - Lowest)
            {
                var port = _next;
                _next = port == Highest ? Lowest : port + 1;
                _handedOut++;
                if (IsFree(port))
                {
                    return port;
                }
            }

            throw new InvalidOperationException($"Every port in {Lowest}–{Highest} was handed out or taken.");
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Where the kernel's ephemeral range starts (32768 when it cannot be read: Linux's default).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}

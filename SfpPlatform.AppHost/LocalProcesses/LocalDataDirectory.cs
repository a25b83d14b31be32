using System.Security.Cryptography;
using System.Text;

namespace SfpPlatform.AppHost.LocalProcesses;

/// <summary>
/// Where local processes keep their state between runs: <c>Platform:DataDirectory</c>, or a folder per clone
/// under the user's data directory (under /var/lib when running as root, since the unprivileged server user
/// cannot reach root's home).
/// </summary>
internal static class LocalDataDirectory
{
    public static string Resolve(IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration["Platform:DataDirectory"] is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        var clone = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clone)))[..8];
        var baseDirectory = Environment.IsPrivilegedProcess
            ? "/var/lib/sfp-platform"
            : Path.Combine(
                Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
                    ? xdg
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share"),
                "sfp-platform");
        return Path.Combine(baseDirectory, $"{Path.GetFileName(clone)}-{hash}");
    }

    /// <summary>A free loopback TCP port, for processes that take their port as an argument.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;

namespace SfpPlatform.Tests.Deployment;

/// <summary>
/// The real Caddy running a generated Caddyfile with the environment compose gives it from an operator's .env. Only
/// what a test machine must change is rewritten: the listen ports (free high ports on loopback instead of 80, 443 and
/// the admin ports), Caddy's own admin endpoint (off), the folders compose mounts (certificates, maintenance page), and
/// optionally Caddy's local CA standing in for an ACME CA it cannot reach here.
/// </summary>
public sealed class CaddyDeployment : IAsyncDisposable
{
    private readonly TestFolder _folder = new();
    private Process? _process;

    private CaddyDeployment()
    {
    }

    public int HttpsPort { get; } = EdgePair.FreePort();

    public IReadOnlyDictionary<string, int> AdminPorts { get; } =
        PlatformTopology.Default.AdminServices.ToDictionary(a => a.Id, _ => EdgePair.FreePort());

    public string CertificateDirectory => Path.Combine(_folder.Path, "certs");

    public string Output { get; private set; } = "";

    /// <summary>The Caddyfile compose mounts for this .env, rewritten for the test machine.</summary>
    public static string Rewrite(string caddyfile, string certificates, string maintenance, int httpPort, int httpsPort,
        IReadOnlyDictionary<string, int> adminPorts, bool localCertificates)
    {
        var global = $"\tadmin off\n\thttp_port {httpPort}\n\thttps_port {httpsPort}\n\tdefault_bind 127.0.0.1\n" + (localCertificates ? "\tlocal_certs\n" : "");
        var start = caddyfile.IndexOf("\n{\n", StringComparison.Ordinal) + 3;
        var text = caddyfile[..start] + global + caddyfile[start..];
        foreach (var admin in PlatformTopology.Default.AdminServices)
        {
            text = text.Replace($"}}:{admin.Port} {{", $"}}:{adminPorts[admin.Id].ToString(CultureInfo.InvariantCulture)} {{", StringComparison.Ordinal);
        }

        return text.Replace(new CaddyfileOptions { Mode = TlsMode.None, UpstreamAddress = s => s }.CertificateDirectory, certificates, StringComparison.Ordinal)
            .Replace(new CaddyfileOptions { Mode = TlsMode.None, UpstreamAddress = s => s }.MaintenanceRoot, maintenance, StringComparison.Ordinal);
    }

    /// <summary>Starts Caddy as compose would for <paramref name="dotEnv"/>; certificates go in <see cref="CertificateDirectory"/> first.</summary>
    public static async Task<CaddyDeployment> StartAsync(Dictionary<string, string> dotEnv, Action<string> writeCertificates, bool localCertificates)
    {
        var caddy = new CaddyDeployment();
        try
        {
            Directory.CreateDirectory(caddy.CertificateDirectory);
            writeCertificates(caddy.CertificateDirectory);
            var compose = ComposeFile.Load(dotEnv);

            // Which Caddyfile and which page: as compose's volume list says for this .env.
            var volumes = compose.Volumes(ServiceNames.Caddy).Select(v => v.Split(':')).ToDictionary(v => v[1], v => v[0]);
            var caddyfile = File.ReadAllText(Path.Combine(ComposeFile.DeployDirectory, volumes["/etc/caddy/Caddyfile"]));
            var maintenance = Path.Combine(caddy._folder.Path, "maintenance");
            Directory.CreateDirectory(maintenance);
            File.Copy(Path.Combine(ComposeFile.DeployDirectory, volumes["/srv/maintenance/maintenance.html"]), Path.Combine(maintenance, "maintenance.html"));
            var config = Path.Combine(caddy._folder.Path, "Caddyfile");
            File.WriteAllText(config, Rewrite(caddyfile, caddy.CertificateDirectory, maintenance, EdgePair.FreePort(), caddy.HttpsPort, caddy.AdminPorts, localCertificates));

            var environment = compose.Environment(ServiceNames.Caddy).ToDictionary(e => e.Key, e => (string?)e.Value);
            environment["XDG_DATA_HOME"] = Path.Combine(caddy._folder.Path, "data");
            environment["XDG_CONFIG_HOME"] = Path.Combine(caddy._folder.Path, "config");
            var start = new ProcessStartInfo(CaddyBinary.Path) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { "run", "--adapter", "caddyfile", "--config", config })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            caddy._process = Process.Start(start)!;
            var output = new StringBuilder();
            caddy._process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            caddy._process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            caddy._process.BeginErrorReadLine();
            caddy._process.BeginOutputReadLine();
            await caddy.WaitForAsync(caddy.HttpsPort, () => { lock (output) { return output.ToString(); } });
            return caddy;
        }
        catch
        {
            await caddy.DisposeAsync();
            throw;
        }
    }

    private async Task WaitForAsync(int port, Func<string> output)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"caddy exited with {_process.ExitCode}: {output()}");
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public sealed record TlsAnswer(X509Certificate2 Certificate, int Status, string Body, IReadOnlyDictionary<string, string> Headers);

    /// <summary>A TLS handshake with <paramref name="serverName"/> as SNI from <paramref name="client"/>, then one GET.</summary>
    public static async Task<TlsAnswer> GetAsync(int port, string serverName, string path, IPAddress? client = null, string? basicAuth = null)
    {
        using var tcp = new TcpClient(new IPEndPoint(client ?? IPAddress.Loopback, 0));
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        X509Certificate2? seen = null;
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            seen = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            return true;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });
        var request = $"GET {path} HTTP/1.1\r\nHost: {serverName}\r\nConnection: close\r\n"
            + (basicAuth is null ? "" : $"Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes(basicAuth))}\r\n") + "\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(tls, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var head = response.Split("\r\n\r\n", 2);
        var lines = head[0].Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new TlsAnswer(seen!, int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture), head.Length > 1 ? head[1] : "", headers);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _folder.Dispose();
    }
}

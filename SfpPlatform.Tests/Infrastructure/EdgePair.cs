using System.Diagnostics;
using System.Net.Sockets;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// The YARP edge (the real SfpPlatform.Edge process) and a real Caddy running the plain-HTTP rendering of the same
/// topology, side by side, in front of the same loopback echo upstreams.
/// </summary>
public sealed class EdgePair : IAsyncDisposable
{
    private static readonly string[] UpstreamServices =
    [
        ServiceNames.Api, ServiceNames.Web, ServiceNames.Auth, ServiceNames.Verdaccio, ServiceNames.Hatchet, ServiceNames.Studio,
    ];

    private readonly List<Process> _processes = [];
    private string _workDirectory = "";

    private EdgePair()
    {
    }

    public Dictionary<string, EchoUpstream> Upstreams { get; } = [];

    public EdgeEndpoint Yarp { get; private set; } = null!;

    public EdgeEndpoint Caddy { get; private set; } = null!;

    public IEnumerable<EdgeEndpoint> Both => [Yarp, Caddy];

    public string Caddyfile { get; private set; } = "";

    public static async Task<EdgePair> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var pair = new EdgePair();
            try
            {
                await pair.StartCoreAsync();
                return pair;
            }
            catch (ProcessExitedException e) when (attempt < 3 && e.AddressInUse)
            {
                // A port checked free was taken before the process bound it (another process on the machine): the
                // pair starts again on other ports.
                await pair.DisposeAsync();
            }
            catch
            {
                await pair.DisposeAsync();
                throw;
            }
        }
    }

    private async Task StartCoreAsync()
    {
        var topology = PlatformTopology.Default;
        _workDirectory = Directory.CreateTempSubdirectory("sfp-edge-pair-").FullName;
        foreach (var service in UpstreamServices)
        {
            Upstreams[service] = await EchoUpstream.StartAsync(service);
        }

        Yarp = new EdgeEndpoint("yarp", FreePort(), topology.AdminServices.ToDictionary(a => a.Id, _ => FreePort()));
        Caddy = new EdgeEndpoint("caddy", FreePort(), topology.AdminServices.ToDictionary(a => a.Id, _ => FreePort()));

        StartYarp(topology);
        StartCaddy(topology);
        await Task.WhenAll(WaitForAsync(Yarp.Port), WaitForAsync(Caddy.Port));
    }

    private void StartYarp(PlatformTopology topology)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Edge__ManagementPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (service, upstream) in Upstreams)
        {
            environment[$"services__{service}__http__0"] = $"http://{upstream.Address}";
        }

        foreach (var (id, port) in Yarp.AdminPorts)
        {
            environment[$"Edge__AdminPorts__{id}"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        _processes.Add(TestProcess.Start(
            "dotnet", [RepositoryPaths.ProjectAssembly("SfpPlatform.Edge"), "--urls", $"http://127.0.0.1:{Yarp.Port}"], environment));
    }

    private void StartCaddy(PlatformTopology topology)
    {
        var maintenanceRoot = Path.Combine(_workDirectory, "maintenance");
        Directory.CreateDirectory(maintenanceRoot);
        File.WriteAllText(Path.Combine(maintenanceRoot, "maintenance.html"), MaintenancePage.Html(topology));
        Caddyfile = CaddyfileRenderer.Render(topology, new CaddyfileOptions
        {
            Mode = TlsMode.None,
            HttpPort = Caddy.Port,
            BindAddress = "127.0.0.1",
            UpstreamAddress = service => Upstreams[service].Address,
            MaintenanceRoot = maintenanceRoot,
            AdminPorts = Caddy.AdminPorts,
        });
        var caddyfile = Path.Combine(_workDirectory, "Caddyfile");
        File.WriteAllText(caddyfile, Caddyfile);

        _processes.Add(TestProcess.Start(CaddyBinary.Path, ["run", "--adapter", "caddyfile", "--config", caddyfile],
            new Dictionary<string, string?>
            {
                ["XDG_DATA_HOME"] = Path.Combine(_workDirectory, "data"),
                ["XDG_CONFIG_HOME"] = Path.Combine(_workDirectory, "config"),
                // As the local edge defaults to (compose requires the operator to set it).
                [SfpPlatform.Topology.Services.OperatorVariables.AdminAllowlist.Name] = string.Join(' ', topology.AdminAllowlist),
            }));
    }

    private async Task WaitForAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new ProcessExitedException(exited);
            }

            try
            {
                var response = await RawHttp.SendAsync(port, "GET", "/");
                if (response.Status == 200)
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }
            catch (IOException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Nothing answered on port {port} within 30 s.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        foreach (var upstream in Upstreams.Values)
        {
            await upstream.DisposeAsync();
        }

        if (_workDirectory.Length > 0)
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }

    /// <summary>A loopback port for a process a test starts (<see cref="TestPorts.Next"/>).</summary>
    public static int FreePort() => TestPorts.Next();
}

/// <summary>One of the two edges: its public port and its admin ports by admin id.</summary>
public sealed record EdgeEndpoint(string Name, int Port, IReadOnlyDictionary<string, int> AdminPorts)
{
    public override string ToString() => Name;
}

/// <summary>The real Caddy binary (Debian's <c>caddy</c> package; ./test.sh installs it where missing).</summary>
public static class CaddyBinary
{
    public static string Path { get; } = new[] { "/usr/bin/caddy", "/usr/local/bin/caddy" }.FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("caddy not found: install it (apt-get install caddy) or run ./test.sh.");
}

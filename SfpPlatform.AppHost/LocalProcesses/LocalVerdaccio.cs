using System.Globalization;
using SfpPlatform.AppHost.Runtime;
using SfpPlatform.Topology.Rendering;

namespace SfpPlatform.AppHost.LocalProcesses;

/// <summary>
/// Verdaccio from the pinned npm install in <c>tools/verdaccio</c>, run with the machine's Node, with the
/// configuration the platform generates (<see cref="VerdaccioConfiguration"/>), storage and htpasswd in the data
/// directory.
/// </summary>
internal static class LocalVerdaccio
{
    private const int MinimumNodeMajor = 20;

    public static IResourceBuilder<ExecutableResource> AddLocalVerdaccio(
        this IDistributedApplicationBuilder builder, string name, string dataRoot, VerdaccioConfiguration.Accounts accounts)
    {
        var node = HostCommands.Find("node") ?? throw new PrerequisiteMissingException(
            $"Node.js {MinimumNodeMajor}+ not found: install it (Debian/Ubuntu: apt-get install nodejs npm) or run a container runtime.");
        var version = HostCommands.Run(node, ["--version"], TimeSpan.FromSeconds(10)).Output.Trim();
        if (!int.TryParse(version.TrimStart('v').Split('.')[0], CultureInfo.InvariantCulture, out var major) || major < MinimumNodeMajor)
        {
            throw new PrerequisiteMissingException(
                $"Node.js {MinimumNodeMajor}+ is required for Verdaccio, found '{version}': install a newer Node.js.");
        }

        var toolDirectory = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "tools", "verdaccio"));
        var entryPoint = Path.Combine(toolDirectory, "node_modules", "verdaccio", "bin", "verdaccio");
        var root = Path.Combine(dataRoot, "verdaccio");
        var configFile = Path.Combine(root, "config.yaml");
        var port = builder.Configuration.GetValue<int?>("Platform:Verdaccio:Port") ?? LocalDataDirectory.FreePort();

        if (builder.ExecutionContext.IsRunMode)
        {
            Directory.CreateDirectory(Path.Combine(root, "storage"));
            VerdaccioConfiguration.WriteBeforeStart(builder, root, accounts, VerdaccioConfigRenderer.Render(
                "./storage", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", VerdaccioConfiguration.PublicUplink(builder)));
        }

        var verdaccio = builder.AddExecutable(name, node, root, entryPoint, "--config", configFile)
            .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
            .WithHttpHealthCheck("/-/ping")
            .WithIconName("Box")
            .ExcludeFromManifest();

        // First run on a machine: install the pinned Verdaccio before starting it.
        if (!File.Exists(entryPoint))
        {
            var npm = HostCommands.Find("npm") ?? throw new PrerequisiteMissingException(
                "npm not found: install it (Debian/Ubuntu: apt-get install npm).");
            var install = builder.AddExecutable($"{name}-install", npm, toolDirectory, "ci", "--no-audit", "--no-fund")
                .ExcludeFromManifest();
            verdaccio.WaitForCompletion(install);
        }

        return verdaccio;
    }
}

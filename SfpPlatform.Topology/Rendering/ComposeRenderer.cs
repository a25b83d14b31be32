using System.Globalization;
using System.Text;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.Topology.Rendering;

/// <summary>
/// Renders <c>deploy/compose.yaml</c> from the service contracts: one bridge network, only Caddy publishes host ports
/// (80, 443 and the admin ports), every other service is reached by its service name; every image pinned; a health
/// check on every long-running service; one-shot initialisers awaited with <c>service_completed_successfully</c>.
/// </summary>
public static class ComposeRenderer
{
    public const string Network = "sfp";

    public static string Render(PlatformDeployment deployment)
    {
        var y = new StringBuilder();
        void L(int indent, string text) => y.Append(' ', indent * 2).Append(text).Append('\n');

        L(0, "# Generated from the platform topology (SfpPlatform.Topology) by tools/SfpPlatform.Deploy. Do not edit.");
        L(0, "# Only Caddy publishes host ports; everything else is reached by service name on the 'sfp' network.");
        L(0, "# Values come from .env beside this file (see .env.example); sfp-platform.sh fills and checks it.");
        L(0, "name: sfp-platform");
        L(0, "");
        L(0, "services:");

        var namedVolumes = new List<string>();
        foreach (var service in deployment.ServicesIn(Runtimes.Compose))
        {
            L(1, $"# {service.Title}");
            L(1, $"{service.Name}:");
            L(2, $"image: {Quote(Image(service.Image, service.Name))}");
            L(2, service.RunsOnce ? "restart: \"no\"" : "restart: unless-stopped");
            if (service.Arguments.Count > 0)
            {
                L(2, $"command: {Flow(service.Arguments)}");
            }

            var published = service.PublishedPorts.ToList();
            if (service.Name == ServiceNames.Caddy)
            {
                published.AddRange(deployment.Topology.AdminServices.Select(a => $"{Port(a.Port)}:{Port(a.Port)}"));
            }

            if (published.Count > 0)
            {
                L(2, "ports:");
                published.ForEach(p => L(3, $"- {Quote(p)}"));
            }

            var environment = service.EnvironmentIn(Runtimes.Compose).ToList();
            if (environment.Count > 0)
            {
                L(2, "environment:");
                foreach (var setting in environment)
                {
                    L(3, $"{setting.Key}: {Quote(Value(deployment, setting.Value))}");
                }
            }

            if (service.Volumes.Count > 0)
            {
                L(2, "volumes:");
                foreach (var volume in service.Volumes)
                {
                    var source = volume.Kind == VolumeKind.Rendered ? "./" + volume.Source : volume.Source;
                    if (volume.Kind == VolumeKind.Named)
                    {
                        namedVolumes.Add(volume.Source);
                    }

                    L(3, $"- {Quote($"{source}:{volume.Target}{(volume.ReadOnly ? ":ro" : "")}")}");
                }
            }

            L(2, "healthcheck:");
            if (service.Health is { } health)
            {
                L(3, $"test: {Flow(["CMD", .. Probe(service, health)])}");
                L(3, "interval: 10s");
                L(3, "timeout: 5s");
                L(3, "retries: 6");
                L(3, "start_period: 30s");
            }
            else
            {
                // A one-shot initialiser has no health; its successful exit is what others wait for.
                L(3, "disable: true");
            }

            var dependencies = service.DependsOn.Where(d => (deployment.Service(d.Service).In & Runtimes.Compose) != 0).ToList();
            if (dependencies.Count > 0)
            {
                L(2, "depends_on:");
                foreach (var dependency in dependencies)
                {
                    L(3, $"{dependency.Service}:");
                    L(4, "condition: " + (dependency.Condition == DependencyCondition.Completed ? "service_completed_successfully" : "service_healthy"));
                }
            }

            L(2, "networks:");
            L(3, $"- {Network}");
        }

        L(0, "");
        L(0, "networks:");
        L(1, $"{Network}:");
        L(2, "driver: bridge");
        L(0, "");
        L(0, "volumes:");
        foreach (var volume in namedVolumes.Distinct())
        {
            L(1, volume + ":");
        }

        return y.ToString();
    }

    /// <summary>The image reference; the platform's own images carry the release tag from <c>.env</c>.</summary>
    public static string Image(ContainerImage image, string service) => image.Versioned
        ? $"{OperatorVariables.ImageRegistry.ComposeReference}/{image.Repository}:{OperatorVariables.Version.ComposeReference}"
        : image.Reference;

    /// <summary>A setting's value as compose reads it (before interpolation).</summary>
    public static string Value(PlatformDeployment deployment, SettingValue value) => value switch
    {
        SettingValue.Text text => text.Value.Replace("$", "$$", StringComparison.Ordinal),
        SettingValue.Variable variable => variable.Of.ComposeReference,
        SettingValue.Endpoint endpoint => Endpoint(deployment, endpoint),
        SettingValue.ConnectionString cs =>
            $"Host={ServiceNames.Postgres};Port={Port(deployment.Service(ServiceNames.Postgres).Port("tcp").Port)};" +
            $"Username={ServiceNames.PostgresUser};Password={OperatorVariables.PostgresPassword.ComposeReference};Database={cs.Database}",
        SettingValue.PublicUrl url => $"https://{OperatorVariables.PublicHost.ComposeReference}{url.Path}",
        SettingValue.AdminUrl admin =>
            $"https://{OperatorVariables.AdminHost.ComposeReference}:{Port(deployment.Topology.AdminServices.Single(a => a.Id == admin.AdminId).Port)}",
        SettingValue.AdminHost => OperatorVariables.AdminHost.ComposeReference,
        SettingValue.PerRuntime both => Value(deployment, both.Production),
        SettingValue.Concat concat => string.Concat(concat.Parts.Select(p => Value(deployment, p))),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown setting value."),
    };

    private static string Endpoint(PlatformDeployment deployment, SettingValue.Endpoint endpoint)
    {
        var port = deployment.Service(endpoint.Service).Port(endpoint.Port);
        return endpoint.Part switch
        {
            EndpointPart.Url => $"{port.Scheme}://{endpoint.Service}:{Port(port.Port)}",
            EndpointPart.HostAndPort => $"{endpoint.Service}:{Port(port.Port)}",
            EndpointPart.Host => endpoint.Service,
            EndpointPart.TargetPort => Port(port.Port),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
        };
    }

    private static IEnumerable<string> Probe(ServiceContract service, HealthCheck health)
    {
        if (health.Command is { } command)
        {
            return command;
        }

        var url = $"http://127.0.0.1:{Port(service.Port(health.Port!).Port)}{health.Path}";
        return health.Probe switch
        {
            HttpProbe.Wget => ["wget", "-q", "-O", "/dev/null", url],
            HttpProbe.Node => ["node", "-e", $"fetch('{url}').then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))"],
            // The .NET images have bash but no curl or wget.
            HttpProbe.Bash => ["bash", "-c",
                $"exec 3<>/dev/tcp/127.0.0.1/{Port(service.Port(health.Port!).Port)} && printf 'GET {health.Path} HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q Healthy <&3"],
            _ => throw new ArgumentOutOfRangeException(nameof(health)),
        };
    }

    private static string Flow(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Quote)) + "]";

    /// <summary>A YAML double-quoted scalar: every value stays a string (no <c>t</c>/<c>true</c>/number surprises).</summary>
    private static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}

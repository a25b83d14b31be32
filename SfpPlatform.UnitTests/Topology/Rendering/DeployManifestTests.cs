using SfpPlatform.Core.Deployment;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;
using SfpPlatform.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace SfpPlatform.UnitTests.Topology.Rendering;

/// <summary>deploy/ is generated from the topology and cannot drift (the real caddy validate: SfpPlatform.Tests, Deployment/CaddyValidateTests).</summary>
public sealed class DeployManifestTests
{
    private static string DeployDirectory => Path.Combine(RepositoryPaths.Root, "deploy");

    [Fact]
    public void Deploy_MatchesTheTopologyByteForByte()
    {
        var rendered = DeployManifest.Render(PlatformServices.Deployment);

        var onDisk = Directory.GetFiles(DeployDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DeployDirectory, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(rendered.Keys.Order(StringComparer.Ordinal), onDisk);
        foreach (var (path, content) in rendered)
        {
            Assert.True(
                content == File.ReadAllText(Path.Combine(DeployDirectory, path)),
                $"deploy/{path} differs from the topology: run 'dotnet run --project tools/SfpPlatform.Deploy'.");
        }
    }

    [Fact]
    public void Rendering_IsDeterministic()
    {
        Assert.Equal(DeployManifest.Render(PlatformServices.Deployment), DeployManifest.Render(PlatformServices.Deployment));
    }

    [Fact]
    public void Compose_IsValidYaml_WithOnlyCaddyPublishingPorts_AndEveryServiceChecked()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(DeployDirectory, "compose.yaml"))));
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        var services = (YamlMappingNode)root["services"];
        var networks = ((YamlMappingNode)root["networks"]).Children.Keys.Select(k => k.ToString()).ToList();
        var volumes = ((YamlMappingNode)root["volumes"]).Children.Keys.Select(k => k.ToString()).ToHashSet();

        Assert.Equal(["sfp"], networks);
        var published = new List<string>();
        foreach (var (nameNode, serviceNode) in services.Children)
        {
            var name = nameNode.ToString();
            var service = (YamlMappingNode)serviceNode;
            Assert.True(service.Children.ContainsKey("image"), $"{name} has no image");
            Assert.True(service.Children.ContainsKey("healthcheck"), $"{name} has no health check");
            Assert.Equal(["sfp"], ((YamlSequenceNode)service["networks"]).Select(n => n.ToString()));
            if (service.Children.ContainsKey("ports"))
            {
                published.Add(name);
            }

            if (service.Children.TryGetValue("depends_on", out var dependsOn))
            {
                Assert.All(((YamlMappingNode)dependsOn).Children.Keys, d => Assert.True(services.Children.ContainsKey(d), $"{name} depends on unknown {d}"));
            }

            if (service.Children.TryGetValue("volumes", out var mounts))
            {
                foreach (var mount in ((YamlSequenceNode)mounts).Select(m => m.ToString().Split(':')[0]))
                {
                    Assert.True(mount.StartsWith('.') || mount.StartsWith('$') || volumes.Contains(mount), $"{name} mounts undeclared volume {mount}");
                }
            }
        }

        Assert.Equal([ServiceNames.Caddy], published);
        var ports = ((YamlSequenceNode)((YamlMappingNode)services[ServiceNames.Caddy])["ports"]).Select(p => p.ToString()).ToList();
        Assert.Contains("80:80", ports);
        Assert.Contains("443:443", ports);
        foreach (var admin in PlatformTopology.Default.AdminServices)
        {
            Assert.Contains($"{admin.Port}:{admin.Port}", ports);
        }

        Assert.Subset(volumes, new HashSet<string> { "postgres-data", "verdaccio-storage" });
    }

    [Fact]
    public void EnvExample_NamesVariablesWithoutValues()
    {
        var lines = File.ReadAllLines(Path.Combine(DeployDirectory, ".env.example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches("^[A-Z0-9_]+=$", l));
        Assert.Contains("POSTGRES_PASSWORD=", lines);
    }
}

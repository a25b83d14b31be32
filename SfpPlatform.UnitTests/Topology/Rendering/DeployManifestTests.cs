using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SfpPlatform.Core.Deployment;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;
using SfpPlatform.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace SfpPlatform.Tests.Edge;

/// <summary>deploy/ is generated from the topology and cannot drift; every Caddyfile passes the real caddy validate.</summary>
public sealed class DeployManifestTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

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

    [Theory]
    [InlineData("cloudflare")]
    [InlineData("letsencrypt")]
    [InlineData("custom")]
    public async Task Caddyfile_PassesCaddyValidate(string mode)
    {
        var work = Directory.CreateTempSubdirectory("sfp-caddy-validate-").FullName;
        try
        {
            // The Caddyfiles read certificates from fixed paths in the folder compose mounts: point that folder here.
            var certificates = Path.Combine(work, "certs");
            Directory.CreateDirectory(certificates);
            var (certFile, keyFile) = WriteSelfSignedCertificate(certificates);
            File.Copy(certFile, Path.Combine(certificates, CaddyfileRenderer.CloudflareCertificate));
            File.Copy(keyFile, Path.Combine(certificates, CaddyfileRenderer.CloudflareKey));
            var caddyfile = Path.Combine(work, "Caddyfile");
            File.WriteAllText(caddyfile, File.ReadAllText(Path.Combine(DeployDirectory, "caddy", $"Caddyfile.{mode}"))
                .Replace(new CaddyfileOptions { Mode = TlsMode.None, UpstreamAddress = s => s }.CertificateDirectory, certificates, StringComparison.Ordinal));
            var (exitCode, output, errors) = await TestProcess.RunAsync(
                CaddyBinary.Path, ["validate", "--adapter", "caddyfile", "--config", caddyfile],
                new Dictionary<string, string?>
                {
                    ["XDG_DATA_HOME"] = Path.Combine(work, "data"),
                    ["XDG_CONFIG_HOME"] = Path.Combine(work, "config"),
                    ["SFP_PUBLIC_HOST"] = "sfp.example.com",
                    ["SFP_ADMIN_HOST"] = "admin.sfp.example.com",
                    ["SFP_ADMIN_ALLOWLIST"] = "10.0.0.0/8",
                    ["ACME_EMAIL"] = "ops@example.com",
                    ["STUDIO_USERNAME"] = "admin",
                    ["STUDIO_PASSWORD_HASH"] = "JDJhJDE0JHJzM2lRZ3N6aS5lZnV6VkJ4VXpEbWVxS2N2ZzlHQzR2SzVBM3pWbWR3cW1WOVhjbVdCWGVp",
                },
                Cancellation);

            Assert.True(exitCode == 0, $"caddy validate failed for {mode}: {errors}");
            Assert.Contains("Valid configuration", output + errors);
            Assert.DoesNotContain("not formatted", errors);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (string Cert, string Key) WriteSelfSignedCertificate(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=sfp.example.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("sfp.example.com");
        names.AddDnsName("admin.sfp.example.com");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certFile = Path.Combine(directory, CaddyfileRenderer.CustomCertificate);
        var keyFile = Path.Combine(directory, CaddyfileRenderer.CustomKey);
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile);
    }
}

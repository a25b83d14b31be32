using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;

namespace SfpPlatform.Tests.Deployment;

/// <summary>Every Caddyfile in deploy/ passes the real caddy validate (their rendering: SfpPlatform.UnitTests, Topology/Rendering).</summary>
public sealed class CaddyValidateTests
{
    private static string DeployDirectory => Path.Combine(RepositoryPaths.Root, "deploy");

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

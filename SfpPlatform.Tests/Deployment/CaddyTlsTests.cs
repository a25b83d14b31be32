using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.Tests.Deployment;

/// <summary>
/// Real Caddy (2.6) with each generated Caddyfile and the environment compose gives it from an operator's .env — all
/// set, and every optional value blank — with certificates made here: the handshake serves the intended certificate,
/// the admin allowlist and Studio's password hold, the maintenance page answers while the Api is absent.
/// </summary>
public sealed class CaddyTlsTests
{
    private const string PublicHost = "sfp.example.com";
    private const string AdminHost = "admin.sfp.example.com";
    private const string StudioPassword = "studio-password-for-the-test";

    private static Dictionary<string, string> DotEnv(string mode, bool optionalsBlank)
    {
        var values = OperatorEnvironment.Values();
        values[OperatorVariables.TlsMode.Name] = mode;
        values[OperatorVariables.AdminAllowlist.Name] = "127.0.0.1/32";
        values[OperatorVariables.StudioPasswordHash.Name] = StudioHash();
        if (!optionalsBlank)
        {
            values[OperatorVariables.AcmeEmail.Name] = "ops@example.com";
            values[OperatorVariables.StudioUsername.Name] = "operator";
            values[OperatorVariables.CertificateDirectory.Name] = "./certs";
        }

        return values;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Custom_ServesTheCustomCertificateOnEverySite_WithAllowlistPasswordAndMaintenance(bool optionalsBlank)
    {
        using var ca = TestAuthority.Create("SfpPlatform Test Internal CA");
        await using var caddy = await CaddyDeployment.StartAsync(DotEnv("custom", optionalsBlank),
            folder => ca.Issue(folder, CaddyfileRenderer.CustomCertificate, CaddyfileRenderer.CustomKey, PublicHost, AdminHost), localCertificates: false);

        var site = await CaddyDeployment.GetAsync(caddy.HttpsPort, PublicHost, "/");
        Assert.Equal(ca.Name, site.Certificate.Issuer);
        Assert.Contains(PublicHost, site.Certificate.Subject, StringComparison.Ordinal);
        var admin = await CaddyDeployment.GetAsync(caddy.AdminPorts["hatchet"], AdminHost, "/api/ready");
        Assert.Equal(ca.Name, admin.Certificate.Issuer);

        await AssertMaintenanceAndRefusals(caddy);
        await AssertAdminGuards(caddy, optionalsBlank ? "admin" : "operator");
    }

    [Fact]
    public async Task Cloudflare_ServesTheOriginCertificate_AndAutomaticCertificatesOnTheAdminHost_WithABlankAcmeEmail()
    {
        using var origin = TestAuthority.Create("SfpPlatform Test Origin CA");
        // Caddy's local CA stands in for Let's Encrypt, which cannot be reached here: the admin sites get a managed
        // certificate although ACME_EMAIL is blank, and the origin certificate is not what they serve.
        await using var caddy = await CaddyDeployment.StartAsync(DotEnv("cloudflare", optionalsBlank: true),
            folder => origin.Issue(folder, CaddyfileRenderer.CloudflareCertificate, CaddyfileRenderer.CloudflareKey, PublicHost), localCertificates: true);

        var site = await CaddyDeployment.GetAsync(caddy.HttpsPort, PublicHost, "/");
        Assert.Equal(origin.Name, site.Certificate.Issuer);
        var admin = await WaitForAsync(() => CaddyDeployment.GetAsync(caddy.AdminPorts["verdaccio"], AdminHost, "/-/ping"));
        Assert.NotEqual(origin.Name, admin.Certificate.Issuer);
        Assert.Contains("Caddy Local Authority", admin.Certificate.Issuer, StringComparison.Ordinal);
        Assert.Contains(AdminHost, admin.Certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false), StringComparison.Ordinal);

        await AssertMaintenanceAndRefusals(caddy);
        await AssertAdminGuards(caddy, "admin");
    }

    [Theory]
    [InlineData("letsencrypt", "")]
    [InlineData("letsencrypt", "ops@example.com")]
    [InlineData("cloudflare", "")]
    [InlineData("cloudflare", "ops@example.com")]
    public async Task AutomaticCertificates_TakeTheAcmeEmailWhenGiven_AndStartWithoutOne(string mode, string email)
    {
        using var folder = new TestFolder();
        using var origin = TestAuthority.Create("SfpPlatform Test Origin CA");
        var certificates = Path.Combine(folder.Path, "certs");
        Directory.CreateDirectory(certificates);
        origin.Issue(certificates, CaddyfileRenderer.CloudflareCertificate, CaddyfileRenderer.CloudflareKey, PublicHost);
        var values = DotEnv(mode, optionalsBlank: true);
        values[OperatorVariables.AcmeEmail.Name] = email;
        var caddyfile = Path.Combine(folder.Path, "Caddyfile");
        File.WriteAllText(caddyfile, CaddyDeployment.Rewrite(
            File.ReadAllText(Path.Combine(ComposeFile.DeployDirectory, "caddy", $"Caddyfile.{mode}")), certificates, folder.Path,
            EdgePair.FreePort(), EdgePair.FreePort(), PlatformTopology.Default.AdminServices.ToDictionary(a => a.Id, _ => EdgePair.FreePort()), localCertificates: false));
        var environment = ComposeFile.Load(values).Environment(ServiceNames.Caddy).ToDictionary(e => e.Key, e => (string?)e.Value);
        environment["XDG_DATA_HOME"] = Path.Combine(folder.Path, "data");
        environment["XDG_CONFIG_HOME"] = Path.Combine(folder.Path, "config");

        var validate = await TestProcess.RunAsync(CaddyBinary.Path, ["validate", "--adapter", "caddyfile", "--config", caddyfile], environment, Cancellation);
        var adapted = await TestProcess.RunAsync(CaddyBinary.Path, ["adapt", "--adapter", "caddyfile", "--config", caddyfile], environment, Cancellation);

        Assert.True(validate.ExitCode == 0, validate.Error);
        // The admin host's automation policy: with an e-mail, every issuer carries it; without, Caddy's defaults (no
        // policy of its own, or issuers without an e-mail) — automatic certificates either way, and Caddy starts.
        using var json = System.Text.Json.JsonDocument.Parse(adapted.Output);
        var emails = new List<string?>();
        if (json.RootElement.GetProperty("apps").TryGetProperty("tls", out var tls)
            && tls.TryGetProperty("automation", out var automation) && automation.TryGetProperty("policies", out var policies))
        {
            foreach (var policy in policies.EnumerateArray().Where(p => p.TryGetProperty("subjects", out var s) && s.EnumerateArray().Any(x => x.GetString() == AdminHost)))
            {
                emails.AddRange(policy.TryGetProperty("issuers", out var issuers)
                    ? issuers.EnumerateArray().Select(i => i.TryGetProperty("email", out var e) ? e.GetString() : null)
                    : []);
            }
        }

        if (email.Length > 0)
        {
            Assert.All(emails, e => Assert.Equal(email, e));
            Assert.NotEmpty(emails);
        }
        else
        {
            Assert.All(emails, Assert.Null);
        }
    }

    private static async Task AssertMaintenanceAndRefusals(CaddyDeployment caddy)
    {
        // No Api, no web app behind this Caddy: the maintenance answers.
        var page = await CaddyDeployment.GetAsync(caddy.HttpsPort, PublicHost, "/");
        Assert.Equal(503, page.Status);
        Assert.Equal("30", page.Headers["Retry-After"]);
        Assert.Contains("under maintenance", page.Body, StringComparison.Ordinal);
        var api = await CaddyDeployment.GetAsync(caddy.HttpsPort, PublicHost, "/sfp/api/health");
        Assert.Equal(503, api.Status);
        Assert.StartsWith("application/problem+json", api.Headers["Content-Type"], StringComparison.Ordinal);

        // GoTrue's admin API is closed to the public.
        Assert.Equal(404, (await CaddyDeployment.GetAsync(caddy.HttpsPort, PublicHost, "/auth/v1/admin/users")).Status);
    }

    private static async Task AssertAdminGuards(CaddyDeployment caddy, string studioUser)
    {
        var outsider = IPAddress.Parse("127.0.0.2");
        Assert.Equal(403, (await CaddyDeployment.GetAsync(caddy.AdminPorts["verdaccio"], AdminHost, "/-/ping", outsider)).Status);
        // Allowlisted: Verdaccio's upstream is absent (502), but the client got past the allowlist.
        Assert.Equal(502, (await CaddyDeployment.GetAsync(caddy.AdminPorts["verdaccio"], AdminHost, "/-/ping")).Status);

        // Studio: the allowlist first (no password prompt for outsiders), then the password.
        Assert.Equal(403, (await CaddyDeployment.GetAsync(caddy.AdminPorts["studio"], AdminHost, "/", outsider, $"{studioUser}:{StudioPassword}")).Status);
        Assert.Equal(401, (await CaddyDeployment.GetAsync(caddy.AdminPorts["studio"], AdminHost, "/")).Status);
        Assert.Equal(401, (await CaddyDeployment.GetAsync(caddy.AdminPorts["studio"], AdminHost, "/", basicAuth: $"{studioUser}:wrong")).Status);
        Assert.Equal(502, (await CaddyDeployment.GetAsync(caddy.AdminPorts["studio"], AdminHost, "/", basicAuth: $"{studioUser}:{StudioPassword}")).Status);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> attempt)
    {
        // Caddy issues the managed certificate in the background after it starts.
        for (var i = 0; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (i < 100 && e is IOException or System.Security.Authentication.AuthenticationException)
            {
                await Task.Delay(200, Cancellation);
            }
        }
    }

    /// <summary>The password hash as sfp-platform.sh stores it: base64 of the bcrypt hash 'caddy hash-password' prints.</summary>
    private static string StudioHash()
    {
        var hash = TestProcess.RunAsync(CaddyBinary.Path, ["hash-password", "--plaintext", StudioPassword]).GetAwaiter().GetResult().Output.Trim();
        return Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(hash));
    }

    /// <summary>A certificate authority made for one test.</summary>
    private sealed class TestAuthority : IDisposable
    {
        private readonly ECDsa _key;
        private readonly X509Certificate2 _certificate;

        private TestAuthority(ECDsa key, X509Certificate2 certificate)
        {
            _key = key;
            _certificate = certificate;
        }

        public string Name => _certificate.Subject;

        public static TestAuthority Create(string name)
        {
            var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}, O=SfpPlatform Tests", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            return new TestAuthority(key, request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2)));
        }

        /// <summary>Writes a leaf certificate (with the CA after it) and its key, as an operator drops them in TLS_CERT_DIR.</summary>
        public void Issue(string folder, string certificateFile, string keyFile, params string[] names)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7f;
            using var leaf = request.Create(_certificate, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
            File.WriteAllText(Path.Combine(folder, certificateFile), leaf.ExportCertificatePem() + "\n" + _certificate.ExportCertificatePem() + "\n");
            File.WriteAllText(Path.Combine(folder, keyFile), key.ExportPkcs8PrivateKeyPem());
        }

        public void Dispose()
        {
            _certificate.Dispose();
            _key.Dispose();
        }
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using SfpPlatform.Topology;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Edge;

public sealed class EdgePairFixture : IAsyncLifetime
{
    public EdgePair Pair { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Pair = await EdgePair.StartAsync();

    public async ValueTask DisposeAsync() => await Pair.DisposeAsync();
}

/// <summary>
/// The same requests through the YARP edge and through a real Caddy running the generated Caddyfile reach the same
/// upstream with the same method, path, query and Host, and get the same status.
/// </summary>
public sealed class EdgeDifferentialTests(EdgePairFixture fixture) : IClassFixture<EdgePairFixture>
{
    public static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD"];

    public static readonly string[] Targets =
    [
        "/", "/index.html", "/assets/app.js", "/sfp", "/sfp/", "/sfp/api/health", "/sfp/api/webhooks/github", "/sfpx",
        "/auth/v1/token?grant_type=password", "/auth/v1", "/auth/v1/", "/auth/v1/user?redirect_to=%2Fhome",
        "/SFP/API/health", "/Sfp/api/health?x=1&y=%20z",
        // Encoded slashes, backslashes and dots, and dot-segments: refused by both.
        "/sfp/api%2Fhealth", "/sfp%2fapi/health", "/sfp/api%5Chealth", "/sfp/%2e%2e/auth/v1/token",
        "/sfp/../auth/v1/token", "/sfp/./api/health", "/a/b/..", "/auth/v1/..", "/..",
        // Escapes of characters that never need escaping are refused; others are decoded alike.
        "/sfp/api/h%65alth", "/caf%C3%A9",
        // Probe paths are never forwarded.
        "/health", "/alive", "/HEALTH", "/health/ready", "/alive?x=1", "/healthz",
        "/sfp/api/" + new string('a', 2000), "/" + string.Join('/', Enumerable.Repeat("segment", 850)),
        // Slashes, escapes and odd characters an attacker or a sloppy client might send.
        "//sfp/api/health", "/sfp//api/health", "/sfp/api/health/", "/%73fp/api/health", "/sfp/api/health;x=1",
        "/sfp/api/health?", "/sfp/api/health?a=%2F..%2F&b=%00", "/sfp/api/%20space", "/sfp/api/%E2%82%AC",
        "/auth/v1//token", "/auth/v1/%2e", "/.well-known/security.txt", "/sfp/api/health%3Fx=1",
        // GoTrue's admin API is closed on the public listener (Kong's job in Supabase's stack); its neighbours are not.
        "/auth/v1/admin/users", "/AUTH/V1/Admin/users?page=1", "/auth/v1/admin", "/auth/v1/admin/", "/auth/v1/adminx",
        "/auth/v1/%61dmin/users", "/auth/v1/./admin/users",
    ];

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in Targets)
        {
            foreach (var method in Methods)
            {
                data.Add(method, target);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Request_ReachesTheSameUpstreamThroughBothEdges(string method, string target)
    {
        var yarp = await RawHttp.SendAsync(fixture.Pair.Yarp.Port, method, target, cancellationToken: Cancellation);
        var caddy = await RawHttp.SendAsync(fixture.Pair.Caddy.Port, method, target, cancellationToken: Cancellation);

        Assert.Equal(caddy.Status, yarp.Status);
        Assert.Equal(caddy.EchoService, yarp.EchoService);
        if (yarp.EchoService is not null)
        {
            Assert.Equal(ExpectedService(target), yarp.EchoService);
        }

        var (y, c) = (yarp.Echo, caddy.Echo);
        Assert.Equal(c is null, y is null);
        if (y is not null && c is not null)
        {
            Assert.Equal(c.Service, y.Service);
            Assert.Equal(c.Method, y.Method);
            Assert.Equal(c.Path, y.Path);
            Assert.Equal(c.Query, y.Query);
            Assert.Equal(c.Host, y.Host);
        }
    }

    [Theory]
    [InlineData("/sfp/api/health", ServiceNames.Api, "/sfp/api/health")]
    [InlineData("/auth/v1/token?grant_type=password", ServiceNames.Auth, "/token")]
    [InlineData("/auth/v1/", ServiceNames.Auth, "/")]
    [InlineData("/sfp", ServiceNames.Web, "/sfp")]
    [InlineData("/", ServiceNames.Web, "/")]
    public async Task Routes_StripOnlyTheAuthPrefix(string target, string service, string upstreamPath)
    {
        foreach (var edge in fixture.Pair.Both)
        {
            var response = await RawHttp.SendAsync(edge.Port, "GET", target, cancellationToken: Cancellation);
            var echo = Assert.IsType<EchoedRequest>(response.Echo);
            Assert.Equal(service, echo.Service);
            Assert.Equal(upstreamPath, echo.Path);
        }
    }

    [Theory]
    [InlineData("/sfp/../auth/v1/token", 400)]
    [InlineData("/sfp/api%2Fhealth", 400)]
    [InlineData("//sfp/api/health", 400)]
    [InlineData("/%73fp/api/health", 400)]
    [InlineData("/auth/v1//token", 400)]
    [InlineData("/health", 404)]
    [InlineData("/ALIVE", 404)]
    [InlineData("/auth/v1/admin/users", 404)]
    [InlineData("/Auth/V1/ADMIN/users/0b5e5e4e-1a1a-4b4b-8c8c-0d0d0d0d0d0d", 404)]
    [InlineData("/auth/v1/admin", 404)]
    public async Task Refusals_AreAnsweredByTheEdgeItself(string target, int status)
    {
        foreach (var edge in fixture.Pair.Both)
        {
            var response = await RawHttp.SendAsync(edge.Port, "GET", target, cancellationToken: Cancellation);
            Assert.Equal(status, response.Status);
            Assert.Null(response.Echo);
        }
    }

    [Fact]
    public async Task SignedWebhook_ArrivesByteIdenticalThroughBothEdges()
    {
        var body = await File.ReadAllBytesAsync(
            Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json"), Cancellation);
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("edge-test-secret"u8, body));
        (string, string)[] headers =
        [
            ("Content-Type", "application/json"),
            ("User-Agent", "GitHub-Hookshot/044aadd"),
            ("X-GitHub-Event", "pull_request"),
            ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
            ("X-GitHub-Hook-ID", "292430182"),
            ("X-GitHub-Hook-Installation-Target-ID", "79929171"),
            ("X-GitHub-Hook-Installation-Target-Type", "repository"),
            ("X-Hub-Signature-256", signature),
            ("Authorization", "Basic dXNlcjpwYXNz"),
            ("X-VSS-ActivityId", "e4f1b8f7-0f3a-4a1c-9b1e-2f3c4d5e6f70"),
        ];

        foreach (var edge in fixture.Pair.Both)
        {
            var response = await RawHttp.SendAsync(
                edge.Port, "POST", "/sfp/api/webhooks/github", headers, body, cancellationToken: Cancellation);

            var echo = Assert.IsType<EchoedRequest>(response.Echo);
            var received = new Dictionary<string, string>(echo.Headers, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(ServiceNames.Api, echo.Service);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), echo.BodySha256);
            Assert.Equal(body.Length, echo.BodyLength);
            foreach (var (name, value) in headers)
            {
                Assert.Equal(value, received[name]);
            }

            Assert.Equal("127.0.0.1", received["X-Forwarded-For"]);
            Assert.Equal("http", received["X-Forwarded-Proto"]);
            Assert.Equal("sfp.test", received["X-Forwarded-Host"]);
        }
    }

    [Fact]
    public async Task OversizedBody_IsRefusedWith413BeforeReachingTheUpstream()
    {
        var body = new byte[(int)PlatformTopology.Default.MaxRequestBodyBytes + 1];
        foreach (var edge in fixture.Pair.Both)
        {
            var response = await RawHttp.SendAsync(edge.Port, "POST", "/sfp/api/webhooks/github", body: body, cancellationToken: Cancellation);
            Assert.Equal(413, response.Status);
            Assert.Null(response.Echo);
        }
    }

    [Fact]
    public async Task BodyAtTheLimit_IsForwarded()
    {
        var body = new byte[(int)PlatformTopology.Default.MaxRequestBodyBytes];
        foreach (var edge in fixture.Pair.Both)
        {
            var response = await RawHttp.SendAsync(edge.Port, "POST", "/sfp/api/webhooks/github", body: body, cancellationToken: Cancellation);
            Assert.Equal(200, response.Status);
            Assert.Equal(body.Length, response.Echo!.BodyLength);
        }
    }

    [Theory]
    [InlineData("verdaccio")]
    [InlineData("hatchet")]
    [InlineData("studio")]
    public async Task AdminPort_AnswersAllowlistedClientsOnly(string adminId)
    {
        var admin = PlatformTopology.Default.AdminServices.Single(a => a.Id == adminId);
        foreach (var edge in fixture.Pair.Both)
        {
            var port = edge.AdminPorts[adminId];

            var allowed = await RawHttp.SendAsync(port, "GET", "/-/ping", localAddress: IPAddress.Loopback, cancellationToken: Cancellation);
            var denied = await RawHttp.SendAsync(port, "GET", "/-/ping", localAddress: IPAddress.Parse("127.0.0.2"), cancellationToken: Cancellation);
            var spoofed = await RawHttp.SendAsync(port, "GET", "/-/ping", [("X-Forwarded-For", "127.0.0.1")],
                localAddress: IPAddress.Parse("127.0.0.2"), cancellationToken: Cancellation);

            Assert.True(allowed.Status == 200 && allowed.Echo?.Service == admin.Service, $"{edge}: allowed client got {allowed.Status} from {allowed.Echo?.Service}");
            Assert.True(denied.Status == 403 && denied.Echo is null, $"{edge}: denied client got {denied.Status} from {denied.Echo?.Service}");
            Assert.True(spoofed.Status == 403 && spoofed.Echo is null, $"{edge}: spoofing client got {spoofed.Status} from {spoofed.Echo?.Service}");
        }
    }

    [Fact]
    public async Task PublicPort_CannotReachAnAdminServiceByForgingTheHostHeader()
    {
        foreach (var edge in fixture.Pair.Both)
        {
            var response = await RawHttp.SendAsync(edge.Port, "GET", "/-/ping",
                host: $"admin.sfp.test:{edge.AdminPorts["verdaccio"]}", cancellationToken: Cancellation);
            Assert.Equal(ServiceNames.Web, response.Echo!.Service);
        }
    }

    private static string ExpectedService(string target)
    {
        var path = target.Split('?')[0];
        return PlatformTopology.Default.Match(path).Service;
    }
}

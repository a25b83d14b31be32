using System.Net;
using System.Text.Json;
using Npgsql;
using SfpPlatform.Topology;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Foundation;

[Collection(PlatformCollection.Name)]
public sealed class PlatformStackTests(PlatformAppFixture platform)
{
    [Fact]
    public void EveryResource_IsRunningAndHealthy()
    {
        foreach (var name in PlatformAppFixture.AllResources)
        {
            Assert.True(platform.App.ResourceNotifications.TryGetCurrentState(name, out var resourceEvent), $"{name} has no state");
            Assert.Equal(KnownResourceStates.Running, resourceEvent.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, resourceEvent.Snapshot.HealthStatus);
        }
    }

    [Fact]
    public async Task Edge_RootPath_IsServedByWeb()
    {
        using var edge = platform.CreateEdgeClient();

        using var response = await edge.GetAsync("/", Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("<h1>SfpPlatform</h1>", html);
        Assert.Contains("_framework/blazor.web", html);
    }

    [Fact]
    public async Task Edge_ApiHealth_IsServedByApiWithOnlyAnOverallStatus()
    {
        using var edge = platform.CreateEdgeClient();

        using var response = await edge.GetAsync("/sfp/api/health", Cancellation);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var property = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal("status", property.Name);
        Assert.Equal("Healthy", property.Value.GetString());
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/HEALTH")]
    [InlineData("/health/anything")]
    public async Task Edge_ProbePaths_AreNotRoutedPublicly(string path)
    {
        using var edge = platform.CreateEdgeClient();

        using var response = await edge.GetAsync(path, Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task Edge_ProbesAnswer_OnTheManagementListener()
    {
        using var management = platform.App.CreateHttpClient(ServiceNames.Edge, "management");

        using var health = await management.GetAsync("/health", Cancellation);
        using var alive = await management.GetAsync("/alive", Cancellation);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task Verdaccio_IsServedOnTheEdgeAdminPort_ToAllowlistedClientsOnly()
    {
        var allowed = await RawHttp.SendAsync(platform.VerdaccioAdminPort, "GET", "/-/ping",
            localAddress: IPAddress.Loopback, cancellationToken: Cancellation);
        var denied = await RawHttp.SendAsync(platform.VerdaccioAdminPort, "GET", "/-/ping",
            localAddress: IPAddress.Parse("127.0.0.2"), cancellationToken: Cancellation);
        var publicPort = await RawHttp.SendAsync(platform.EdgeUri.Port, "GET", "/-/ping", cancellationToken: Cancellation);

        Assert.Equal(200, allowed.Status);
        Assert.Equal("{}", allowed.BodyText.Trim());
        Assert.Equal(403, denied.Status);
        Assert.NotEqual("{}", publicPort.BodyText.Trim());
        ReliabilityReport.Record(ReliabilityReport.Access, "Admin ports",
            ("allowed client served", 1), ("denied client refused 403", 1), ("admin service not on the public port", 1));
    }

    [Fact]
    public async Task Database_HasPgcryptoAndTheMigratedSchema()
    {
        var connectionString = await platform.App.GetConnectionStringAsync(ServiceNames.Postgres, Cancellation);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancellation);

        await using var roundTrip = new NpgsqlCommand(
            "SELECT pgp_sym_decrypt(pgp_sym_encrypt('round trip', 'k1'), 'k1')", connection);
        Assert.Equal("round trip", await roundTrip.ExecuteScalarAsync(Cancellation));

        await using var migrations = new NpgsqlCommand("SELECT count(*) FROM \"__EFMigrationsHistory\"", connection);
        Assert.True((long)(await migrations.ExecuteScalarAsync(Cancellation))! >= 1);
    }

    [Fact]
    public async Task Postgres_RunsAsTheUnprivilegedServerUser()
    {
        var connectionString = await platform.App.GetConnectionStringAsync(ServiceNames.Postgres, Cancellation);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand("SELECT current_setting('data_directory')", connection);
        var dataDirectory = (string)(await command.ExecuteScalarAsync(Cancellation))!;

        var owner = new FileInfo(Path.Combine(dataDirectory, "PG_VERSION")).UnixFileMode;
        Assert.True(File.Exists(Path.Combine(dataDirectory, "PG_VERSION")));
        Assert.Equal(UnixFileMode.None, owner & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite));
        if (Environment.IsPrivilegedProcess)
        {
            var stat = await TestProcess.RunAsync("stat", ["-c", "%U", dataDirectory], cancellationToken: Cancellation);
            Assert.Equal("postgres", stat.Output.Trim());
        }
    }

    [Fact]
    public async Task OneRequest_ThroughTheEdge_IsOneTraceAcrossEdgeAndApi()
    {
        using var edge = platform.CreateEdgeClient();
        var marker = Guid.NewGuid().ToString("n");

        // A trace the services export at their sample ratio (ordinary traces are exported by trace id).
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/sfp/api/health?trace={marker}");
        request.Headers.Add("traceparent", TraceParents.InRatio());
        using var response = await edge.SendAsync(request, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var timeout = TimeSpan.FromSeconds(30);
        var apiSpan = await platform.Traces.WaitForSpanAsync(
            s => s.Service == ServiceNames.Api && s.Kind == Otlp.Span.Types.SpanKind.Server
                && s.Attributes.GetValueOrDefault("url.query", "").Contains(marker), timeout);
        var edgeServerSpan = await platform.Traces.WaitForSpanAsync(
            s => s.Service == ServiceNames.Edge && s.Kind == Otlp.Span.Types.SpanKind.Server
                && s.TraceId == apiSpan.TraceId, timeout);

        // The Api's server span is a child of a span the edge recorded for the same request.
        var edgeSpanIds = platform.Traces.Spans
            .Where(s => s.Service == ServiceNames.Edge && s.TraceId == apiSpan.TraceId)
            .Select(s => s.SpanId)
            .ToHashSet();
        Assert.Equal(apiSpan.TraceId, edgeServerSpan.TraceId);
        Assert.Contains(apiSpan.ParentSpanId, edgeSpanIds);
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>What an echo upstream saw of one request.</summary>
public sealed record EchoedRequest(
    string Service, string Method, string Path, string RawTarget, string Query, string Host,
    Dictionary<string, string> Headers, string BodySha256, long BodyLength);

/// <summary>
/// A loopback HTTP server standing in for one upstream service: it answers every request with a JSON description
/// of what arrived (service name, method, path, raw target, headers, body hash), and 200 "Healthy" on /health.
/// </summary>
public sealed class EchoUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoUpstream(string service, WebApplication app, int port)
    {
        Service = service;
        _app = app;
        Port = port;
    }

    public string Service { get; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>What <c>/health</c> answers: 200 "Healthy" while true, 503 "Unhealthy" otherwise.</summary>
    public bool Healthy { get; set; } = true;

    public static async Task<EchoUpstream> StartAsync(string service)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
            k.Limits.MaxRequestLineSize = 64 * 1024;
        });
        var app = builder.Build();
        EchoUpstream? self = null;
        app.Run(async context =>
        {
            if (context.Request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase))
            {
                var healthy = self?.Healthy ?? true;
                context.Response.StatusCode = healthy ? 200 : 503;
                await context.Response.WriteAsync(healthy ? "Healthy" : "Unhealthy");
                return;
            }

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            long length = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                length += read;
            }

            var echoed = new EchoedRequest(
                service,
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Host.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                Convert.ToHexStringLower(sha.GetHashAndReset()),
                length);
            context.Response.ContentType = "application/json";
            context.Response.Headers["X-Echo-Service"] = service;
            await context.Response.WriteAsync(JsonSerializer.Serialize(echoed));
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.Single()).Port;
        self = new EchoUpstream(service, app, port);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

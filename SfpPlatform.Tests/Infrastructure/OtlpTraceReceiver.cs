using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using SfpPlatform.Tests.Otlp;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>One span as the services exported it over OTLP/HTTP.</summary>
public sealed record ReceivedSpan(
    string Service, string TraceId, string SpanId, string ParentSpanId, string Name, Span.Types.SpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A minimal OTLP/HTTP (protobuf) collector on loopback: the services export to it exactly as they would to the
/// Aspire dashboard, and tests read the spans back.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();

    private OtlpTraceReceiver(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = "";

    public IReadOnlyCollection<ReceivedSpan> Spans => _spans.ToArray();

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0,
            o => o.Protocols = HttpProtocols.Http1AndHttp2));
        var app = builder.Build();
        var receiver = new OtlpTraceReceiver(app);

        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver.Collect(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        // Logs and metrics arrive too; they are accepted and dropped.
        app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));

        await app.StartAsync();
        receiver.Endpoint = app.Urls.Single();
        return receiver;
    }

    private void Collect(ExportTraceServiceRequest request)
    {
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var service = resourceSpans.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue ?? "";
            foreach (var span in resourceSpans.ScopeSpans.SelectMany(s => s.Spans))
            {
                _spans.Enqueue(new ReceivedSpan(
                    service,
                    Convert.ToHexStringLower(span.TraceId.Span),
                    Convert.ToHexStringLower(span.SpanId.Span),
                    Convert.ToHexStringLower(span.ParentSpanId.Span),
                    span.Name,
                    span.Kind,
                    span.Attributes.ToDictionary(a => a.Key, a => a.Value?.ToString() ?? "")));
            }
        }
    }

    /// <summary>Waits until a span matching <paramref name="predicate"/> has arrived.</summary>
    public async Task<ReceivedSpan> WaitForSpanAsync(Func<ReceivedSpan, bool> predicate, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_spans.FirstOrDefault(predicate) is { } span)
            {
                return span;
            }

            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"No matching span within {timeout.TotalSeconds:0} s; received {_spans.Count} spans from: " +
                    string.Join(", ", _spans.Select(s => s.Service).Distinct()));
            }
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

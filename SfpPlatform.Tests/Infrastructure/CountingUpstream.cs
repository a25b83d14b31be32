using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP server that counts every request by method and answers each with the next status of
/// <see cref="Answers"/> (then 200), with the headers given: a provider that fails, limits or succeeds as a test says.
/// </summary>
public sealed class CountingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    private CountingUpstream(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Statuses to answer, in order, and their headers.</summary>
    public ConcurrentQueue<(int Status, Dictionary<string, string> Headers)> Answers { get; } = new();

    public int Requests(string method) => _requests.GetValueOrDefault(method);

    public static async Task<CountingUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new CountingUpstream(app);
        app.Run(async context =>
        {
            upstream._requests.AddOrUpdate(context.Request.Method, 1, (_, n) => n + 1);
            await context.Request.Body.CopyToAsync(Stream.Null);
            var (status, headers) = upstream.Answers.TryDequeue(out var answer) ? answer : (200, []);
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.StatusCode = status;
            await context.Response.WriteAsync("{}");
        });
        await app.StartAsync();
        upstream.BaseUrl = new Uri(app.Urls.Single() + "/");
        return upstream;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}

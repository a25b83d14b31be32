using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SfpPlatform.Core.Providers.GitHub;

// Token mints per installation over a simulated 3 hours of steady webhook-driven client creation: the real
// GitHubInstallationTokens (cache, single flight, Octokit exchange) against a loopback token endpoint that issues
// one-hour tokens on the same fake clock. Usage: dotnet run -c Release --project bench/TokenBench -- [installations] [deliveries/s]
var installations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var perSecond = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
var simulated = TimeSpan.FromHours(3);
var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero));
var mints = new ConcurrentDictionary<long, ConcurrentQueue<DateTimeOffset>>();

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
var app = builder.Build();
app.MapPost("/api/v3/app/installations/{id:long}/access_tokens", (long id) =>
{
    mints.GetOrAdd(id, _ => new ConcurrentQueue<DateTimeOffset>()).Enqueue(clock.GetUtcNow());
    return Results.Json(new
    {
        token = "ghs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
        expires_at = clock.GetUtcNow().AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    }, statusCode: 201);
});
await app.StartAsync();

using var key = RSA.Create(2048);
var pem = key.ExportRSAPrivateKeyPem();
var handlers = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpMessageHandlerFactory>();
var tokens = new GitHubInstallationTokens(handlers, clock);
var credential = new GitHubAppCredential(Guid.NewGuid(), "Iv1.bench", new Uri(app.Urls.Single() + "/"), _ => Task.FromResult(pem));

// Each simulated second: perSecond deliveries, each for a random installation, each asking for a client token.
var random = new Random(42);
var calls = 0L;
var wall = Stopwatch.StartNew();
for (var second = 0; second < simulated.TotalSeconds; second++)
{
    for (var d = 0; d < perSecond; d++)
    {
        await tokens.GetAsync(credential, random.Next(1, installations + 1));
        calls++;
    }

    clock.Advance(TimeSpan.FromSeconds(1));
}

wall.Stop();
await app.StopAsync();

var times = Enumerable.Range(1, installations).Select(i => mints.TryGetValue(i, out var q) ? q.ToList() : []).ToList();
var counts = times.Select(t => t.Count).ToList();
var intervals = times.SelectMany(t => t.Zip(t.Skip(1), (a, b) => (b - a).TotalMinutes)).ToList();
Console.WriteLine($"| installations | deliveries/s | simulated | token requests | mints (total) | mints per installation (min–max) | minutes between mints (min–max) | wall time | µs per cached request |");
Console.WriteLine($"| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {installations} | {perSecond} | {simulated.TotalHours:0} h | {calls:N0} | {counts.Sum()} | {counts.Min()}–{counts.Max()} | {intervals.Min():0.0}–{intervals.Max():0.0} | {wall.Elapsed.TotalSeconds:0.0} s | {wall.Elapsed.TotalMicroseconds / calls:0.0} |"));
return counts.Max() <= Math.Ceiling(simulated.TotalMinutes / 55) ? 0 : 1;

using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// A loopback stand-in for GitHub's App API under <c>/api/v3</c> (how Octokit addresses any host but
/// api.github.com): it checks the app JWT as GitHub does — RS256 signed by the app's registered public key, the
/// expected issuer, issued no later than now, expiring in the future and at most 10 minutes after issue — and
/// mints installation tokens valid for one hour, counting mints per installation.
/// </summary>
public sealed class GitHubStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, int> _mints = new();

    private GitHubStandIn(WebApplication app, RSA appKey, string issuer, TimeProvider time)
    {
        _app = app;
        AppKey = appKey;
        Issuer = issuer;
        Time = time;
    }

    public RSA AppKey { get; }

    public string Issuer { get; }

    public TimeProvider Time { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>How long minting takes, to let concurrent callers pile up.</summary>
    public TimeSpan MintDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    public int Mints(long installationId) => _mints.GetValueOrDefault(installationId);

    public int RefusedJwts;

    public static async Task<GitHubStandIn> StartAsync(string issuer, TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new GitHubStandIn(app, RSA.Create(2048), issuer, time);

        app.MapPost("/api/v3/app/installations/{installationId:long}/access_tokens", async (long installationId, HttpRequest request) =>
        {
            if (!await standIn.IsValidAppJwtAsync(request.Headers.Authorization.ToString()))
            {
                Interlocked.Increment(ref standIn.RefusedJwts);
                return Results.Json(new { message = "A JSON web token could not be decoded" }, statusCode: 401);
            }

            await Task.Delay(standIn.MintDelay);
            var count = standIn._mints.AddOrUpdate(installationId, 1, (_, n) => n + 1);
            return Results.Json(new
            {
                token = $"ghs_{installationId}_{count}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}",
                expires_at = standIn.Time.GetUtcNow().AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                permissions = new { statuses = "write", checks = "write", pull_requests = "write", contents = "read" },
                repository_selection = "all",
            }, statusCode: 201);
        });

        await app.StartAsync();
        standIn.BaseUrl = new Uri(app.Urls.Single() + "/");
        return standIn;
    }

    private async Task<bool> IsValidAppJwtAsync(string authorization)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(authorization["Bearer ".Length..], new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(AppKey.ExportParameters(false)),
            ValidIssuer = Issuer,
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        if (!result.IsValid)
        {
            return false;
        }

        var token = (JsonWebToken)result.SecurityToken;
        var now = Time.GetUtcNow();
        return token.IssuedAt <= now.UtcDateTime
            && token.ValidTo > now.UtcDateTime
            && token.ValidTo - token.IssuedAt <= TimeSpan.FromMinutes(10);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        AppKey.Dispose();
    }
}

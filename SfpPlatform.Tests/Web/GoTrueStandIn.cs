using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SfpPlatform.Tests.Web;

/// <summary>
/// GoTrue's token endpoint as the web app uses it (<c>POST /token?grant_type=password|refresh_token</c>, OAuth 2 names) and
/// refusing what GoTrue refuses: a wrong password, an unknown refresh token, and a refresh token used before (GoTrue
/// rotates them; a reused one is refused with 400 invalid_grant). Access tokens are JWT-shaped (unsigned here: the web app
/// only reads their claims) and live <see cref="AccessLifetime"/>.
/// </summary>
public sealed class GoTrueStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _refreshTokens = new(StringComparer.Ordinal);
    private int _refreshes;

    private GoTrueStandIn(WebApplication app) => _app = app;

    public TimeSpan AccessLifetime { get; set; } = TimeSpan.FromMinutes(1);

    public string Url { get; private set; } = "";

    /// <summary>Refresh-token exchanges GoTrue answered with a new pair.</summary>
    public int Refreshes => _refreshes;

    public static async Task<GoTrueStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new GoTrueStandIn(app);
        app.MapPost("/token", (Delegate)standIn.TokenAsync);
        await app.StartAsync();
        standIn.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return standIn;
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body);
        string? Text(string name) => body.RootElement.TryGetProperty(name, out var v) ? v.GetString() : null;
        switch (context.Request.Query["grant_type"].ToString())
        {
            case "password" when Text("email") == "owner@example.com" && Text("password") == "correct horse":
                return Pair("owner@example.com");
            case "password":
                return Refused("invalid_grant", "Invalid login credentials");
            case "refresh_token":
                var token = Text("refresh_token") ?? "";
                if (!_refreshTokens.TryGetValue(token, out var used))
                {
                    return Refused("invalid_grant", "Invalid Refresh Token: Refresh Token Not Found");
                }

                if (used || !_refreshTokens.TryUpdate(token, true, false))
                {
                    return Refused("invalid_grant", "Invalid Refresh Token: Already Used");
                }

                Interlocked.Increment(ref _refreshes);
                return Pair("owner@example.com");
            default:
                return Refused("unsupported_grant_type", "unsupported grant type");
        }
    }

    /// <summary>A refresh token GoTrue issued (for tests that start from a signed-in session).</summary>
    public (string AccessToken, string RefreshToken) Issue(string email, DateTimeOffset expires)
    {
        var refresh = Guid.NewGuid().ToString("n");
        _refreshTokens[refresh] = false;
        return (AccessToken(email, expires), refresh);
    }

    private IResult Pair(string email)
    {
        var (access, refresh) = Issue(email, DateTimeOffset.UtcNow + AccessLifetime);
        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = access, ["token_type"] = "bearer", ["expires_in"] = (int)AccessLifetime.TotalSeconds, ["refresh_token"] = refresh,
        });
    }

    public static string AccessToken(string email, DateTimeOffset expires)
    {
        static string Part(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{Part("""{"alg":"HS256","typ":"JWT"}""")}.{Part($$$"""{"sub":"{{{Guid.NewGuid()}}}","email":"{{{email}}}","exp":{{{expires.ToUnixTimeSeconds()}}},"jti":"{{{Guid.NewGuid()}}}","app_metadata":{"sfp_role":"owner"}}""")}.c2ln";
    }

    private static IResult Refused(string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: 400);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

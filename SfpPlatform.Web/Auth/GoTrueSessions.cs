using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace SfpPlatform.Web.Auth;

/// <summary>
/// Keeps a GoTrue session alive: when a request arrives with a sign-in cookie whose access token expires within
/// <see cref="RefreshBefore"/>, the refresh token is exchanged (<c>POST /token?grant_type=refresh_token</c>) and the cookie
/// reissued with the new pair. GoTrue rotates refresh tokens and refuses one used before, so concurrent requests of one
/// user share a single exchange. A refused refresh signs the user out; an unreachable GoTrue keeps the session while its
/// token is still valid.
/// </summary>
public sealed partial class GoTrueSessions(IHttpClientFactory http, SignInOptions options, TimeProvider time, ILogger<GoTrueSessions> logger)
{
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    /// <summary>How long a session with a refresh token lasts without the user signing in again.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<string, Lazy<Task<GoTrueTokenPair?>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The cookie handler's <c>OnValidatePrincipal</c>.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        if (user?.FindFirstValue(WebClaims.RefreshToken) is not { Length: > 0 } refreshToken
            || !long.TryParse(user.FindFirstValue(WebClaims.AccessTokenExpires), out var expiresSeconds))
        {
            return;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(expiresSeconds);
        var now = time.GetUtcNow();
        if (expires - now > RefreshBefore)
        {
            return;
        }

        GoTrueTokenPair? refreshed;
        try
        {
            refreshed = await RefreshAsync(refreshToken, context.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // GoTrue unreachable: keep the session while its token still works; the next request tries again.
            RefreshUnavailable(logger, e.Message);
            if (expires <= now)
            {
                await RejectAsync(context);
            }

            return;
        }

        if (refreshed is null)
        {
            await RejectAsync(context);
            return;
        }

        context.ReplacePrincipal(SignInEndpoints.Principal(refreshed.AccessToken, refreshed.RefreshToken));
        context.Properties.ExpiresUtc = now + SessionLifetime;
        context.ShouldRenew = true;
    }

    /// <summary>Exchanges a refresh token once however many requests ask; null when GoTrue refuses it.</summary>
    public async Task<GoTrueTokenPair?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var exchange = _inFlight.GetOrAdd(refreshToken, token => new Lazy<Task<GoTrueTokenPair?>>(() => ExchangeAsync(token)));
        try
        {
            return await exchange.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            // Keep the answer a little while: requests that carried the old cookie in flight get the same new pair.
            _ = Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None).ContinueWith(_ => _inFlight.TryRemove(refreshToken, out var _), TaskScheduler.Default);
        }
    }

    private async Task<GoTrueTokenPair?> ExchangeAsync(string refreshToken)
    {
        var gotrue = options.GoTrueUrl ?? throw new InvalidOperationException("No GoTrue URL is configured.");
        using var response = await http.CreateClient().PostAsJsonAsync(
            $"{gotrue.TrimEnd('/')}/token?grant_type=refresh_token", new { refresh_token = refreshToken }, CancellationToken.None);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            RefreshRefused(logger, (int)response.StatusCode);
            return null;
        }

        response.EnsureSuccessStatusCode();
        var pair = await response.Content.ReadFromJsonAsync<GoTrueTokenPair>();
        return pair is { AccessToken.Length: > 0, RefreshToken.Length: > 0 } ? pair : null;
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GoTrue refused a session refresh ({Status}): the user is signed out")]
    private static partial void RefreshRefused(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GoTrue could not be reached to refresh a session: {Reason}")]
    private static partial void RefreshUnavailable(ILogger logger, string reason);
}

/// <summary>GoTrue's token answer (OAuth 2 names): an access token and the refresh token that replaces the one used.</summary>
public sealed record GoTrueTokenPair(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string RefreshToken);

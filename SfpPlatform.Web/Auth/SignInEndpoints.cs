using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using SfpPlatform.Contracts.Auth;

namespace SfpPlatform.Web.Auth;

public static class SignInEndpoints
{
    public const string ApiClientName = "platform-api";

    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/signin", SignInAsync);
        app.MapPost("/account/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/");
        });
        return app;
    }

    private static async Task<IResult> SignInAsync(
        HttpContext context, [FromForm] string? role, [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInOptions options, IHttpClientFactory http, CancellationToken cancellationToken)
    {
        var back = returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/";
        string? token;
        string? failure;
        string? refreshToken = null;
        if (options.GoTrueUrl is { } gotrue)
        {
            (token, refreshToken, failure) = await GoTrueAsync(http.CreateClient(), gotrue, email, password, cancellationToken);
        }
        else if (options.UsesDevelopmentIssuer)
        {
            (token, failure) = await DevelopmentIssuerAsync(http.CreateClient(ApiClientName), role, cancellationToken);
        }
        else
        {
            (token, failure) = (null, "No sign-in is configured: run GoTrue (Auth:GoTrueUrl).");
        }

        if (token is null)
        {
            return Results.LocalRedirect($"/signin?error={Uri.EscapeDataString(failure ?? "Sign-in failed.")}&returnUrl={Uri.EscapeDataString(back)}");
        }

        var principal = Principal(token, refreshToken);
        // With a refresh token the session outlives the access token (refreshed before it expires); without one it ends with it.
        var expires = refreshToken is null ? Expiry(principal) : DateTimeOffset.UtcNow + GoTrueSessions.SessionLifetime;
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { ExpiresUtc = expires, IsPersistent = false });
        await RecordSignInAsync(http.CreateClient(ApiClientName), token, cancellationToken);
        return Results.LocalRedirect(back);
    }

    private static async Task<(string? Token, string? RefreshToken, string? Failure)> GoTrueAsync(
        HttpClient http, string gotrue, string? email, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return (null, null, "Enter your e-mail address and password.");
        }

        using var response = await http.PostAsJsonAsync($"{gotrue.TrimEnd('/')}/token?grant_type=password", new { email, password }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, null, "The e-mail address or password is not right.");
        }

        var body = await response.Content.ReadFromJsonAsync<GoTrueToken>(cancellationToken);
        return (body?.AccessToken, body?.RefreshToken, "The sign-in service answered without a token.");
    }

    /// <summary>The audit trail's sign-in record, made by the Api for the token's owner. A sign-in is not refused because the Api could not record it.</summary>
    private static async Task RecordSignInAsync(HttpClient api, string token, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/sfp/api/audit/sign-ins");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await api.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
        }
    }

    private static async Task<(string? Token, string? Failure)> DevelopmentIssuerAsync(HttpClient api, string? role, CancellationToken cancellationToken)
    {
        using var response = await api.PostAsJsonAsync("/sfp/api/dev/token", new DevelopmentTokenRequest(role, $"web-{role}"), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, $"The development issuer refused the role '{role}'.");
        }

        var body = await response.Content.ReadFromJsonAsync<DevelopmentTokenResponse>(cancellationToken);
        return (body?.AccessToken, "The development issuer answered without a token.");
    }

    /// <summary>GoTrue's answer to a password grant (OAuth 2 names), as far as the web app reads it.</summary>
    private sealed record GoTrueToken(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken);

    /// <summary>The signed-in user: the cookie's claims from the token's payload (the Api verifies the token on every call).</summary>
    public static ClaimsPrincipal Principal(string token, string? refreshToken)
    {
        var (claims, expires) = Claims(token);
        claims.Add(new Claim(WebClaims.AccessTokenExpires, expires.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (refreshToken is not null)
        {
            claims.Add(new Claim(WebClaims.RefreshToken, refreshToken));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, WebClaims.Name, WebClaims.Role));
    }

    private static DateTimeOffset Expiry(ClaimsPrincipal principal) =>
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(principal.FindFirstValue(WebClaims.AccessTokenExpires)!, System.Globalization.CultureInfo.InvariantCulture));

    private static (List<Claim> Claims, DateTimeOffset Expires) Claims(string token)
    {
        var payload = token.Split('.') is [_, var body, _] ? body.Replace('-', '+').Replace('_', '/') : "";
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        var root = document.RootElement;
        string? Text(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var role = root.TryGetProperty("app_metadata", out var metadata) ? Text(metadata, "sfp_role") : null;
        var name = Text(root, "email") ?? Text(root, "sub") ?? "user";
        var expires = root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : DateTimeOffset.UtcNow.AddHours(1);
        return ([new Claim(WebClaims.Name, name), new Claim(WebClaims.Role, role ?? "none"), new Claim(WebClaims.AccessToken, token)], expires);
    }
}

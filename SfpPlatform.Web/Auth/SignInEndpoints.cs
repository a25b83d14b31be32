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
        if (options.GoTrueUrl is { } gotrue)
        {
            (token, failure) = await GoTrueAsync(http.CreateClient(), gotrue, email, password, cancellationToken);
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

        var claims = Claims(token);
        var identity = new ClaimsIdentity(claims.Claims, CookieAuthenticationDefaults.AuthenticationScheme, WebClaims.Name, WebClaims.Role);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { ExpiresUtc = claims.Expires, IsPersistent = false });
        return Results.LocalRedirect(back);
    }

    private static async Task<(string? Token, string? Failure)> GoTrueAsync(
        HttpClient http, string gotrue, string? email, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return (null, "Enter your e-mail address and password.");
        }

        using var response = await http.PostAsJsonAsync($"{gotrue.TrimEnd('/')}/token?grant_type=password", new { email, password }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, "The e-mail address or password is not right.");
        }

        var body = await response.Content.ReadFromJsonAsync<GoTrueToken>(cancellationToken);
        return (body?.AccessToken, "The sign-in service answered without a token.");
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
    private sealed record GoTrueToken([property: JsonPropertyName("access_token")] string? AccessToken);

    /// <summary>The cookie's claims from the token's payload (the Api verifies the token on every call).</summary>
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

using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SfpPlatform.Web;
using SfpPlatform.Web.Auth;

namespace SfpPlatform.Tests.Web;

/// <summary>The web app refreshes a GoTrue session before its access token expires, against a stand-in that refuses reuse.</summary>
public sealed class GoTrueSessionTests : IAsyncLifetime
{
    private GoTrueStandIn _gotrue = null!;
    private GoTrueSessions _sessions = null!;
    private ServiceProvider _services = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _gotrue = await GoTrueStandIn.StartAsync();
        _services = new ServiceCollection().AddHttpClient().AddLogging()
            .AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie().Services.BuildServiceProvider();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:GoTrueUrl"] = _gotrue.Url }).Build();
        _sessions = new GoTrueSessions(_services.GetRequiredService<IHttpClientFactory>(), new SignInOptions(configuration, new Production()),
            TimeProvider.System, NullLogger<GoTrueSessions>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _gotrue.DisposeAsync();
    }

    [Fact]
    public async Task StandIn_RefusesAReusedRefreshToken_AsGoTrueDoes()
    {
        var (_, refresh) = _gotrue.Issue("owner@example.com", DateTimeOffset.UtcNow.AddMinutes(1));
        using var http = new HttpClient();

        using var first = await http.PostAsJsonAsync($"{_gotrue.Url}/token?grant_type=refresh_token", new { refresh_token = refresh }, Cancellation);
        using var again = await http.PostAsJsonAsync($"{_gotrue.Url}/token?grant_type=refresh_token", new { refresh_token = refresh }, Cancellation);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("Already Used", await again.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiringSession_IsRefreshedOnce_HoweverManyRequestsCarryIt_AndTheCookieRenewed()
    {
        var (access, refresh) = _gotrue.Issue("owner@example.com", DateTimeOffset.UtcNow.AddMinutes(2));
        var principal = SignInEndpoints.Principal(access, refresh);

        var contexts = Enumerable.Range(0, 8).Select(_ => Context(principal)).ToList();
        await Task.WhenAll(contexts.Select(_sessions.ValidateAsync));

        Assert.Equal(1, _gotrue.Refreshes);
        var renewed = contexts[0];
        Assert.True(renewed.ShouldRenew);
        var token = renewed.Principal!.FindFirstValue(WebClaims.AccessToken);
        Assert.NotEqual(access, token);
        Assert.NotEqual(refresh, renewed.Principal!.FindFirstValue(WebClaims.RefreshToken));
        Assert.All(contexts, c => Assert.Equal(token, c.Principal!.FindFirstValue(WebClaims.AccessToken)));
        Assert.True(renewed.Properties.ExpiresUtc > DateTimeOffset.UtcNow.AddDays(6));
    }

    [Fact]
    public async Task SessionFarFromExpiry_IsLeftAlone()
    {
        var (access, refresh) = _gotrue.Issue("owner@example.com", DateTimeOffset.UtcNow.AddMinutes(30));
        var context = Context(SignInEndpoints.Principal(access, refresh));

        await _sessions.ValidateAsync(context);

        Assert.Equal(0, _gotrue.Refreshes);
        Assert.False(context.ShouldRenew);
        Assert.Equal(access, context.Principal!.FindFirstValue(WebClaims.AccessToken));
    }

    [Fact]
    public async Task RefusedRefresh_SignsTheUserOut()
    {
        // A refresh token GoTrue never issued (or revoked): refused, so the session ends.
        var context = Context(SignInEndpoints.Principal(GoTrueStandIn.AccessToken("owner@example.com", DateTimeOffset.UtcNow.AddSeconds(30)), "revoked"));

        await _sessions.ValidateAsync(context);

        Assert.Null(context.Principal);
        Assert.Equal(0, _gotrue.Refreshes);
    }

    private CookieValidatePrincipalContext Context(ClaimsPrincipal principal) => new(
        new DefaultHttpContext { RequestServices = _services },
        new AuthenticationScheme(CookieAuthenticationDefaults.AuthenticationScheme, null, typeof(CookieAuthenticationHandler)),
        new CookieAuthenticationOptions(),
        new AuthenticationTicket(principal, new AuthenticationProperties(), CookieAuthenticationDefaults.AuthenticationScheme));

    private sealed class Production : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "SfpPlatform.Web";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

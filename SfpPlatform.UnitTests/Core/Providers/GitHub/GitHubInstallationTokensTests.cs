using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Octokit;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Core.Providers.GitHub;

/// <summary>GitHub App installation tokens against a stand-in that checks the app JWT as GitHub does.</summary>
public sealed class GitHubInstallationTokensTests : IAsyncLifetime
{
    private const string ClientId = "Iv1.0123456789abcdef";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private GitHubStandIn _github = null!;
    private GitHubInstallationTokens _tokens = null!;
    private GitHubAppCredential _app = null!;
    private int _keyReads;

    public async ValueTask InitializeAsync()
    {
        _github = await GitHubStandIn.StartAsync(ClientId, _time);
        var handlers = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpMessageHandlerFactory>();
        _tokens = new GitHubInstallationTokens(handlers, _time);
        var pem = _github.AppKey.ExportRSAPrivateKeyPem();
        _app = new GitHubAppCredential(Guid.NewGuid(), ClientId, _github.BaseUrl, _ =>
        {
            Interlocked.Increment(ref _keyReads);
            return Task.FromResult(pem);
        });
    }

    public async ValueTask DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task HundredConcurrentCallers_ForOneInstallation_MintOneToken()
    {
        _github.MintDelay = TimeSpan.FromMilliseconds(300);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => _tokens.GetAsync(_app, 42, cancellationToken: Cancellation))));

        Assert.Equal(1, _github.Mints(42));
        Assert.Single(tokens.Select(t => t.Value).Distinct());
        Assert.Equal(1, _keyReads);
    }

    [Fact]
    public async Task Token_IsReused_UntilFiveMinutesBeforeExpiry_ThenRefreshed()
    {
        var first = await _tokens.GetAsync(_app, 7, cancellationToken: Cancellation);
        Assert.Equal(_time.GetUtcNow().AddHours(1), first.ExpiresAt);

        _time.Advance(TimeSpan.FromMinutes(54));
        Assert.Same(first, await _tokens.GetAsync(_app, 7, cancellationToken: Cancellation));
        Assert.Equal(1, _github.Mints(7));

        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var second = await _tokens.GetAsync(_app, 7, cancellationToken: Cancellation);

        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(2, _github.Mints(7));
        Assert.Equal(0, _github.RefusedJwts);
    }

    [Fact]
    public async Task EachInstallation_HasItsOwnToken()
    {
        var one = await _tokens.GetAsync(_app, 1, cancellationToken: Cancellation);
        var two = await _tokens.GetAsync(_app, 2, cancellationToken: Cancellation);

        Assert.NotEqual(one.Value, two.Value);
        Assert.Equal(1, _github.Mints(1));
        Assert.Equal(1, _github.Mints(2));
    }

    [Fact]
    public async Task AppJwt_SignedWithAnotherKey_IsRefused_AndNothingIsCached()
    {
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var wrongPem = other.ExportRSAPrivateKeyPem();
        var impostor = _app with { PrivateKey = _ => Task.FromResult(wrongPem) };

        await Assert.ThrowsAsync<AuthorizationException>(() => _tokens.GetAsync(impostor, 9, cancellationToken: Cancellation));
        await Assert.ThrowsAsync<AuthorizationException>(() => _tokens.GetAsync(impostor, 9, cancellationToken: Cancellation));

        Assert.Equal(2, _github.RefusedJwts);
        Assert.Equal(0, _github.Mints(9));
    }

    [Fact]
    public async Task RepositoryScopedTokens_AreMintedWithTheScope_AndCachedPerScope()
    {
        var whole = await _tokens.GetAsync(_app, 12, cancellationToken: Cancellation);
        var scoped = await _tokens.GetAsync(_app, 12, ["force-app", "Core-Packages"], Cancellation);
        var sameScope = await _tokens.GetAsync(_app, 12, ["core-packages", "force-app"], Cancellation);

        Assert.NotEqual(whole.Value, scoped.Value);
        Assert.Same(scoped, sameScope);
        Assert.Equal(2, _github.Mints(12));
        var scopes = _github.MintScopes.ToList();
        Assert.Empty(scopes[0]);
        Assert.Equal(["core-packages", "force-app"], scopes[1]);
    }

    [Fact]
    public async Task InvalidatedToken_IsReplacedOnTheNextCall()
    {
        var first = await _tokens.GetAsync(_app, 5, cancellationToken: Cancellation);

        _tokens.Invalidate(_app, 5, first);
        var second = await _tokens.GetAsync(_app, 5, cancellationToken: Cancellation);

        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(2, _github.Mints(5));
    }

    [Theory]
    [InlineData(null, "https://api.github.com/")]
    [InlineData("https://api.github.com", "https://api.github.com/")]
    [InlineData("https://github.example.com", "https://github.example.com/api/v3/")]
    [InlineData("https://github.example.com/", "https://github.example.com/api/v3/")]
    [InlineData("https://github.example.com/api/v3", "https://github.example.com/api/v3/")]
    public void ApiBase_AddsTheEnterpriseServerPrefix(string? baseUrl, string expected)
    {
        Assert.Equal(expected, GitHubInstallationTokens.ApiBase(baseUrl is null ? null : new Uri(baseUrl)).AbsoluteUri);
    }

    [Fact]
    public void AppJwt_HasGitHubsClaimWindows()
    {
        var now = _time.GetUtcNow();
        var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(
            GitHubAppJwt.Create(ClientId, _github.AppKey.ExportRSAPrivateKeyPem(), now));

        Assert.Equal("RS256", jwt.Alg);
        Assert.Equal(ClientId, jwt.Issuer);
        Assert.Equal(now.AddSeconds(-60).UtcDateTime, jwt.IssuedAt);
        Assert.True(jwt.ValidTo - now.UtcDateTime <= TimeSpan.FromMinutes(10));
        Assert.Equal("12345", GitHubAppJwt.Issuer(12345, null));
    }
}

using Octokit;
using Octokit.Internal;
using OctokitCredentials = Octokit.Credentials;

namespace SfpPlatform.Core.Providers.GitHub;

/// <summary>
/// Installation access tokens for GitHub Apps, exchanged through Octokit and cached per app and installation until
/// five minutes before GitHub's <c>expires_at</c>, with one mint in flight per installation.
/// </summary>
public sealed class GitHubInstallationTokens(IHttpMessageHandlerFactory handlers, TimeProvider time)
{
    /// <summary>The named HttpClient configuration (resilience, timeouts) GitHub calls go through.</summary>
    public const string HttpClientName = "github";

    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly TokenCache<(Guid App, long Installation, string Scope)> _cache = new(time, RefreshBefore, "github");
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid App, string Repository), long> _installations = new();

    /// <summary>
    /// The installation of <paramref name="app"/> on a repository (remembered once found), or null when the app is
    /// not installed there.
    /// </summary>
    public async Task<long?> FindInstallationAsync(GitHubAppCredential app, string owner, string repository, CancellationToken cancellationToken = default)
    {
        var key = (app.IntegrationId, $"{owner}/{repository}".ToLowerInvariant());
        if (_installations.TryGetValue(key, out var known))
        {
            return known;
        }

        var jwt = GitHubAppJwt.Create(app.Issuer, await app.PrivateKey(cancellationToken), time.GetUtcNow());
        try
        {
            var installation = await CreateClient(app.BaseUrl, new OctokitCredentials(jwt, AuthenticationType.Bearer))
                .GitHubApps.GetRepositoryInstallationForCurrent(owner, repository);
            return _installations[key] = installation.Id;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// An installation token, optionally limited to <paramref name="repositories"/> (names, without the owner);
    /// tokens are cached per app, installation and repository set.
    /// </summary>
    public Task<AccessToken> GetAsync(
        GitHubAppCredential app, long installationId, IReadOnlyCollection<string>? repositories = null, CancellationToken cancellationToken = default)
    {
        var scope = Scope(repositories);
        return _cache.GetAsync((app.IntegrationId, installationId, string.Join(',', scope)), ct => MintAsync(app, installationId, scope, ct), cancellationToken);
    }

    /// <summary>Forgets a token GitHub refused, so the next caller mints a new one.</summary>
    public void Invalidate(GitHubAppCredential app, long installationId, AccessToken token, IReadOnlyCollection<string>? repositories = null)
    {
        _cache.Invalidate((app.IntegrationId, installationId, string.Join(',', Scope(repositories))), token);
    }

    private static string[] Scope(IReadOnlyCollection<string>? repositories) =>
        repositories is null ? [] : [.. repositories.Select(r => r.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>An Octokit client on the platform's HTTP pipeline (resilience, telemetry), for github.com or GHES.</summary>
    public IGitHubClient CreateClient(Uri? baseUrl, OctokitCredentials credentials) =>
        new GitHubClient(new Connection(
            new ProductHeaderValue("SfpPlatform"),
            ApiBase(baseUrl),
            new InMemoryCredentialStore(credentials),
            new HttpClientAdapter(() => handlers.CreateHandler(HttpClientName)),
            new SimpleJsonSerializer()));

    /// <summary>
    /// The REST API root: api.github.com, or <c>{base}/api/v3/</c> for GitHub Enterprise Server (what Octokit's
    /// GitHubClient constructor does, which a hand-built Connection skips).
    /// </summary>
    public static Uri ApiBase(Uri? baseUrl)
    {
        if (baseUrl is null || baseUrl.Host.Equals(GitHubClient.GitHubApiUrl.Host, StringComparison.OrdinalIgnoreCase))
        {
            return GitHubClient.GitHubApiUrl;
        }

        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        return new Uri(root.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase) ? root + "/" : root + "/api/v3/");
    }

    private async Task<AccessToken> MintAsync(GitHubAppCredential app, long installationId, string[] repositories, CancellationToken cancellationToken)
    {
        var privateKey = await app.PrivateKey(cancellationToken);
        var jwt = GitHubAppJwt.Create(app.Issuer, privateKey, time.GetUtcNow());
        var client = CreateClient(app.BaseUrl, new OctokitCredentials(jwt, AuthenticationType.Bearer));
        if (repositories.Length == 0)
        {
            var token = await client.GitHubApps.CreateInstallationToken(installationId);
            return new AccessToken(token.Token, token.ExpiresAt);
        }

        // Octokit 14 has no request type for a repository-scoped token; post GitHub's documented body through it.
        var scoped = await client.Connection.Post<Octokit.AccessToken>(
            new Uri($"app/installations/{installationId}/access_tokens", UriKind.Relative),
            new { repositories }, "application/vnd.github+json", "application/json", (IDictionary<string, string>?)null, cancellationToken);
        return new AccessToken(scoped.Body.Token, scoped.Body.ExpiresAt);
    }
}

using Octokit;

namespace SfpPlatform.Core.Providers.GitHub;

/// <summary>An authenticated GitHub client for one repository, and how it was authenticated.</summary>
public sealed class GitHubConnection
{
    private readonly Func<CancellationToken, Task<(IGitHubClient Client, AccessToken Token)>>? _renew;
    private readonly TimeProvider _time;

    internal GitHubConnection(
        IGitHubClient client, AccessToken token, Uri apiBase, string owner, string repository, Guid integrationId,
        DateTimeOffset mintedAt, TimeProvider time, Func<CancellationToken, Task<(IGitHubClient, AccessToken)>>? renew)
    {
        Client = client;
        Token = token;
        ApiBase = apiBase;
        Owner = owner;
        Repository = repository;
        IntegrationId = integrationId;
        MintedAt = mintedAt;
        _time = time;
        _renew = renew;
    }

    public IGitHubClient Client { get; private set; }

    public AccessToken Token { get; private set; }

    public Uri ApiBase { get; }

    public string Owner { get; }

    public string Repository { get; }

    /// <summary>The integration (App or PAT) the client authenticates as.</summary>
    public Guid IntegrationId { get; }

    /// <summary>True for an App installation token, false for a PAT.</summary>
    public bool IsApp => _renew is not null;

    internal DateTimeOffset MintedAt { get; private set; }

    /// <summary>
    /// An HTTPS clone URL carrying the token as GitHub expects (<c>x-access-token</c>). It holds a secret: pass it
    /// to git, never to a log.
    /// </summary>
    public string CloneUrl()
    {
        var web = ApiBase.Host.Equals("api.github.com", StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder("https", "github.com")
            : new UriBuilder(ApiBase.Scheme, ApiBase.Host, ApiBase.Port);
        web.UserName = "x-access-token";
        web.Password = Token.Value;
        web.Path = $"{Owner}/{Repository}.git";
        return web.Uri.AbsoluteUri;
    }

    /// <summary>
    /// Runs a call; a 401 within a minute of minting is GitHub's replication lag, so it waits a second and tries
    /// again, then once more with a newly minted token.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(Func<IGitHubClient, Task<T>> call, CancellationToken cancellationToken = default)
    {
        try
        {
            return await call(Client);
        }
        catch (AuthorizationException) when (_renew is not null && _time.GetUtcNow() - MintedAt < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
            try
            {
                return await call(Client);
            }
            catch (AuthorizationException)
            {
                (Client, Token) = await _renew(cancellationToken);
                MintedAt = _time.GetUtcNow();
                return await call(Client);
            }
        }
    }
}

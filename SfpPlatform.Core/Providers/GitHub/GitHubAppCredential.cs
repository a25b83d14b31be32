using Octokit;
using Octokit.Internal;
using OctokitCredentials = Octokit.Credentials;

namespace SfpPlatform.Core.Providers.GitHub;

/// <summary>A GitHub App as the token provider needs it; the private key is fetched (decrypted) only to mint.</summary>
/// <param name="IntegrationId">The integration the app is registered as.</param>
/// <param name="Issuer">The client id or app id.</param>
/// <param name="BaseUrl">GitHub Enterprise Server's base URL; null for github.com.</param>
/// <param name="PrivateKey">Returns the app's private key (PEM); called once per mint.</param>
public sealed record GitHubAppCredential(Guid IntegrationId, string Issuer, Uri? BaseUrl, Func<CancellationToken, Task<string>> PrivateKey);

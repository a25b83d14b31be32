using System.Security.Cryptography;

namespace SfpPlatform.Core.Webhooks.Authentication;

/// <summary>
/// Authenticates a delivery against the webhook integrations in one call and says how it came out, with the
/// integration it matched. Secrets come from <see cref="WebhookSources"/> (cached); they are compared in constant time.
/// </summary>
public sealed class WebhookAuthenticator(WebhookSources sources)
{
    /// <summary>
    /// GitHub: the signature header must be well formed, the hook target must be registered, and the HMAC of the
    /// raw <paramref name="body"/> under one of its integrations' secrets must equal the signature.
    /// </summary>
    public async Task<WebhookAuthentication> AuthenticateGitHubAsync(
        string? signatureHeader, GitHubHookTarget? target, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // One buffer per delivery: the signature sent, then the HMAC computed for each candidate secret.
        var digests = new byte[2 * GitHubSignature.Size];
        var parsed = GitHubSignature.TryParse(signatureHeader, digests.AsSpan(0, GitHubSignature.Size));
        if (parsed != WebhookAuthenticationResult.Valid)
        {
            return WebhookAuthentication.Refused(parsed);
        }

        if (target is null)
        {
            return WebhookAuthentication.Refused(WebhookAuthenticationResult.NoTarget);
        }

        var candidates = await sources.ForGitHubTargetAsync(target.Type, target.Id, cancellationToken);
        if (candidates.Count == 0)
        {
            return WebhookAuthentication.Refused(WebhookAuthenticationResult.UnknownTarget);
        }

        foreach (var candidate in candidates)
        {
            var secret = await sources.SecretAsync(candidate, cancellationToken);
            if (GitHubSignature.Matches(secret, body.Span, digests.AsSpan(0, GitHubSignature.Size), digests.AsSpan(GitHubSignature.Size)))
            {
                return new WebhookAuthentication(WebhookAuthenticationResult.Valid, candidate);
            }
        }

        return WebhookAuthentication.Refused(WebhookAuthenticationResult.InvalidSignature);
    }

    /// <summary>
    /// Azure DevOps: <c>Authorization: Basic</c> with the user name of an <c>azure-devops-webhook</c> integration
    /// and its secret as the password. Needs no body, so it runs before the body is read.
    /// </summary>
    public async Task<WebhookAuthentication> AuthenticateAzureDevOpsAsync(string? authorization, CancellationToken cancellationToken)
    {
        var parsed = BasicCredentials.TryParse(authorization, out var credentials);
        if (credentials is null)
        {
            return WebhookAuthentication.Refused(parsed);
        }

        using (credentials)
        {
            foreach (var candidate in await sources.ForAzureDevOpsUserAsync(credentials.Username, cancellationToken))
            {
                var secret = await sources.SecretAsync(candidate, cancellationToken);
                if (PasswordMatches(credentials.Password, secret))
                {
                    return new WebhookAuthentication(WebhookAuthenticationResult.Valid, candidate);
                }
            }
        }

        return WebhookAuthentication.Refused(WebhookAuthenticationResult.InvalidCredentials);
    }

    /// <summary>Compares digests, so the comparison takes the same time whatever the lengths of the two passwords.</summary>
    private static bool PasswordMatches(ReadOnlySpan<byte> offered, ReadOnlySpan<byte> secret)
    {
        Span<byte> digests = stackalloc byte[2 * SHA256.HashSizeInBytes];
        SHA256.HashData(offered, digests[..SHA256.HashSizeInBytes]);
        SHA256.HashData(secret, digests[SHA256.HashSizeInBytes..]);
        var matches = CryptographicOperations.FixedTimeEquals(digests[..SHA256.HashSizeInBytes], digests[SHA256.HashSizeInBytes..]);
        CryptographicOperations.ZeroMemory(digests);
        return matches;
    }
}

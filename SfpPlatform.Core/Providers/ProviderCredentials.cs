using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Providers;

/// <summary>
/// Credential resolution for every provider: the integrations of a kind that may serve a project, the project's
/// own first, then the global ones; secrets are decrypted (and audited) only when a token is actually needed.
/// </summary>
public sealed class ProviderCredentials(SfpDbContext db, CredentialVault vault, IServiceScopeFactory scopes)
{
    public async Task<IReadOnlyList<Integration>> CandidatesAsync(string kind, string? projectKey, CancellationToken cancellationToken)
    {
        var candidates = await db.Integrations.AsNoTracking()
            .Where(i => i.Kind == kind && (i.ProjectKey == null || i.ProjectKey == projectKey))
            .ToListAsync(cancellationToken);
        return [.. candidates.OrderBy(i => i.ProjectKey is null).ThenBy(i => i.Name, StringComparer.Ordinal)];
    }

    public Task<string> SecretAsync(Integration integration, string purpose, string caller, CancellationToken cancellationToken) =>
        vault.DecryptAsync(integration.Id, purpose, caller, cancellationToken);

    /// <summary>
    /// Decrypts on demand in a scope of its own, for clients that mint tokens long after the request (or workflow
    /// step) that created them has ended.
    /// </summary>
    public Func<CancellationToken, Task<string>> SecretSource(Integration integration, string purpose, string caller) =>
        async cancellationToken =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CredentialVault>()
                .DecryptAsync(integration.Id, purpose, caller, cancellationToken);
        };
}

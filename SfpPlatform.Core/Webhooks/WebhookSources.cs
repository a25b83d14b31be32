using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Webhooks.Routing;

namespace SfpPlatform.Core.Webhooks;

/// <summary>
/// Finds the webhook integrations a delivery may belong to (one query, with their project's rules) and their
/// secrets. Decrypted secrets are kept in memory for a few minutes, keyed by the integration's last change, so a
/// burst of deliveries costs one audited decryption, and a rotated secret is used at once.
/// </summary>
public sealed class WebhookSources(SfpDbContext db, CredentialVault vault, WebhookSecretCache cache, TimeProvider time)
{
    public const string Caller = "webhook-intake";

    // The columns are named as the model's snake_case convention names WebhookSource's properties: EF Core maps an
    // unmapped type of SqlQuery through the same conventions.

    /// <summary>GitHub: the <c>github-webhook</c> integrations for a hook target (<c>X-GitHub-Hook-Installation-Target-Type/-ID</c>).</summary>
    public Task<List<WebhookSource>> ForGitHubTargetAsync(string targetType, string targetId, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<WebhookSource>($"""
            SELECT i.id AS integration_id, i.project_key, i.updated_at, r.rules::text AS rules_json
            FROM integrations i LEFT JOIN routing_rule_sets r ON r.project_key = i.project_key
            WHERE i.kind = {IntegrationKinds.GitHubWebhook} AND i.settings->>'targetType' = {targetType} AND i.settings->>'targetId' = {targetId}
            ORDER BY i.project_key NULLS LAST, i.name
            """).ToListAsync(cancellationToken);

    /// <summary>Azure DevOps: the <c>azure-devops-webhook</c> integrations whose basic-auth user name is <paramref name="username"/>.</summary>
    public Task<List<WebhookSource>> ForAzureDevOpsUserAsync(string username, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<WebhookSource>($"""
            SELECT i.id AS integration_id, i.project_key, i.updated_at, r.rules::text AS rules_json
            FROM integrations i LEFT JOIN routing_rule_sets r ON r.project_key = i.project_key
            WHERE i.kind = {IntegrationKinds.AzureDevOpsWebhook} AND i.settings->>'username' = {username}
            ORDER BY i.project_key NULLS LAST, i.name
            """).ToListAsync(cancellationToken);

    /// <summary>The secret's UTF-8 bytes (GitHub's HMAC key; Azure DevOps' basic-auth password).</summary>
    /// <remarks>The cached array is shared: callers read it and never change or zero it.</remarks>
    public ValueTask<byte[]> SecretAsync(WebhookSource source, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return cache.TryGet(source.IntegrationId, source.UpdatedAt, now) is { } cached
            ? ValueTask.FromResult(cached)
            : new ValueTask<byte[]>(DecryptAsync(source, now, cancellationToken));
    }

    private async Task<byte[]> DecryptAsync(WebhookSource source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var secret = Encoding.UTF8.GetBytes(await vault.DecryptAsync(source.IntegrationId, "webhook-verification", Caller, cancellationToken));
        cache.Set(source.IntegrationId, source.UpdatedAt, secret, now);
        return secret;
    }
}

using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Webhooks.Routing;

namespace SfpPlatform.Core.Webhooks;

/// <summary>Process-wide cache of decrypted webhook secrets (a few minutes; invalidated by any change of the integration).</summary>
public sealed class WebhookSecretCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    private sealed record Entry(DateTimeOffset Version, byte[] Secret, DateTimeOffset ExpiresAt);

    public byte[]? TryGet(Guid integrationId, DateTimeOffset version, DateTimeOffset now) =>
        _entries.TryGetValue(integrationId, out var entry) && entry.Version == version && entry.ExpiresAt > now ? entry.Secret : null;

    public void Set(Guid integrationId, DateTimeOffset version, byte[] secret, DateTimeOffset now) =>
        _entries[integrationId] = new Entry(version, secret, now + Lifetime);
}

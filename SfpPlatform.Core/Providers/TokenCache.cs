using System.Collections.Concurrent;
using SfpPlatform.Core.Telemetry;

namespace SfpPlatform.Core.Providers;

/// <summary>
/// Caches tokens per key until <c>refreshBefore</c> ahead of their expiry, with at most one mint in flight per key
/// however many callers wait: a burst of webhooks for one installation mints one token. Lookups (hit or miss) and mints
/// are counted under <paramref name="provider"/> (<see cref="PlatformMetrics.TokenCacheLookups"/>, <see cref="PlatformMetrics.TokenMints"/>).
/// </summary>
public sealed class TokenCache<TKey>(TimeProvider time, TimeSpan refreshBefore, string provider) where TKey : notnull
{
    private readonly TokenCache<TKey, AccessToken> _cache = new(time, refreshBefore, token => token.ExpiresAt, provider);

    public Task<AccessToken> GetAsync(TKey key, Func<CancellationToken, Task<AccessToken>> mint, CancellationToken cancellationToken) =>
        _cache.GetAsync(key, mint, cancellationToken);

    public void Invalidate(TKey key, AccessToken token) => _cache.Invalidate(key, token);
}

/// <summary>The same cache for any token type that knows its expiry (e.g. a Salesforce session with its instance).</summary>
public sealed class TokenCache<TKey, TToken>(TimeProvider time, TimeSpan refreshBefore, Func<TToken, DateTimeOffset> expiresAt, string provider)
    where TKey : notnull
    where TToken : class
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();

    public async Task<TToken> GetAsync(TKey key, Func<CancellationToken, Task<TToken>> mint, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        if (entry.Current is { } cached && IsFresh(cached))
        {
            PlatformMetrics.RecordTokenLookup(provider, hit: true);
            return cached;
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have minted while this one waited.
            if (entry.Current is { } minted && IsFresh(minted))
            {
                PlatformMetrics.RecordTokenLookup(provider, hit: true);
                return minted;
            }

            PlatformMetrics.RecordTokenLookup(provider, hit: false);
            var token = await mint(cancellationToken);
            PlatformMetrics.RecordTokenMint(provider);
            entry.Current = token;
            return token;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Drops <paramref name="token"/> if it is still the cached one (the provider refused it).</summary>
    public void Invalidate(TKey key, TToken token)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            Interlocked.CompareExchange(ref entry.CurrentField, null, token);
        }
    }

    private bool IsFresh(TToken token) => time.GetUtcNow() < expiresAt(token) - refreshBefore;

    private sealed class Entry
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public TToken? CurrentField;

        public TToken? Current
        {
            get => Volatile.Read(ref CurrentField);
            set => Volatile.Write(ref CurrentField, value);
        }
    }
}

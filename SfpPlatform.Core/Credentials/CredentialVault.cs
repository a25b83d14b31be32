using System.Data;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.Credentials;

/// <summary>
/// Encrypts and decrypts provider secrets in SQL with pgcrypto (<c>pgp_sym_encrypt</c>/<c>pgp_sym_decrypt</c>),
/// with keys from configuration passed as query parameters, never stored. Every decryption is audited.
/// </summary>
public sealed partial class CredentialVault(SfpDbContext db, IOptionsMonitor<CredentialOptions> options, ILogger<CredentialVault> logger)
{
    private const string CipherOptions = "cipher-algo=aes256, compress-algo=0";

    /// <summary>pgcrypto's error for a wrong key or damaged ciphertext (SQLSTATE 39000).</summary>
    private const string WrongKeyState = "39000";

    /// <summary>Encrypts <paramref name="secret"/> under the active key; returns the ciphertext and the key's id.</summary>
    public async Task<(byte[] Ciphertext, string KeyId)> EncryptAsync(string secret, CancellationToken cancellationToken = default)
    {
        var (keyId, key) = ActiveKey();
        var ciphertext = await db.Database
            .SqlQuery<byte[]>($"SELECT pgp_sym_encrypt({secret}, {key}, {CipherOptions}) AS \"Value\"")
            .SingleAsync(cancellationToken);
        return (ciphertext, keyId);
    }

    /// <summary>
    /// Decrypts the secret of one integration for <paramref name="purpose"/>, recording the decryption (and any
    /// failed attempt) in the audit log, and touching the integration's last use.
    /// </summary>
    public async Task<string> DecryptAsync(Guid integrationId, string purpose, string caller, CancellationToken cancellationToken = default)
    {
        var keyId = await db.Database
            .SqlQuery<string>($"SELECT key_id AS \"Value\" FROM integrations WHERE id = {integrationId}")
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new KeyNotFoundException($"Integration {integrationId} does not exist.");

        if (!options.CurrentValue.Keys.TryGetValue(keyId, out var key))
        {
            await AuditAsync(integrationId, purpose, caller, "missing-key", cancellationToken);
            throw new CredentialKeyException(
                $"The secret of integration {integrationId} is encrypted under key '{keyId}', which is not configured (Credentials:Keys:{keyId}).");
        }

        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            return await strategy.ExecuteAsync(async ct =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var secret = await db.Database
                    .SqlQuery<string>($"SELECT pgp_sym_decrypt(secret_ciphertext, {key}) AS \"Value\" FROM integrations WHERE id = {integrationId}")
                    .SingleAsync(ct);
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO credential_audit (integration_id, purpose, caller, outcome) VALUES ({integrationId}, {purpose}, {caller}, 'decrypted')", ct);
                await db.Database.ExecuteSqlAsync($"UPDATE integrations SET last_used_at = now() WHERE id = {integrationId}", ct);
                await transaction.CommitAsync(ct);
                return secret;
            }, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == WrongKeyState)
        {
            await AuditAsync(integrationId, purpose, caller, "wrong-key", cancellationToken);
            throw new CredentialKeyException(
                $"The configured key '{keyId}' does not decrypt the secret of integration {integrationId}: wrong key or damaged data.", e);
        }
    }

    /// <summary>
    /// Re-encrypts every secret not yet under the active key, in one transaction: all rows move or none do. Old
    /// keys must stay configured until this has run. Returns how many secrets were re-encrypted.
    /// </summary>
    /// <param name="dryRun">Re-encrypts everything, then rolls back: proves every secret decrypts under its configured key and counts them, changing nothing.</param>
    public async Task<int> RotateToActiveKeyAsync(string caller, CancellationToken cancellationToken = default, bool dryRun = false)
    {
        var (activeId, activeKey) = ActiveKey();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
            var oldKeyIds = await db.Database
                .SqlQuery<string>($"SELECT DISTINCT key_id AS \"Value\" FROM integrations WHERE key_id <> {activeId}")
                .ToListAsync(ct);

            var rotated = 0;
            foreach (var oldId in oldKeyIds)
            {
                if (!options.CurrentValue.Keys.TryGetValue(oldId, out var oldKey))
                {
                    throw new CredentialKeyException(
                        $"Secrets are encrypted under key '{oldId}', which is not configured; configure Credentials:Keys:{oldId} until rotation has run.");
                }

                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO credential_audit (integration_id, purpose, caller, outcome) SELECT id, 'key-rotation', {caller}, 'decrypted' FROM integrations WHERE key_id = {oldId}", ct);
                try
                {
                    rotated += await db.Database.ExecuteSqlAsync(
                        $"UPDATE integrations SET secret_ciphertext = pgp_sym_encrypt(pgp_sym_decrypt(secret_ciphertext, {oldKey}), {activeKey}, {CipherOptions}), key_id = {activeId} WHERE key_id = {oldId}", ct);
                }
                catch (PostgresException e) when (e.SqlState == WrongKeyState)
                {
                    throw new CredentialKeyException(
                        $"The configured key '{oldId}' does not decrypt every secret stored under it; nothing was rotated.", e);
                }
            }

            if (dryRun)
            {
                await transaction.RollbackAsync(ct);
                return rotated;
            }

            await transaction.CommitAsync(ct);
            LogRotated(logger, rotated, activeId);
            return rotated;
        }, cancellationToken);
    }

    /// <summary>A short, non-reversible fingerprint of a secret (the first 16 hex digits of its SHA-256).</summary>
    public static string Fingerprint(string secret) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..16];

    private (string Id, string Key) ActiveKey()
    {
        var current = options.CurrentValue;
        return current.ActiveKeyId is { } id && current.Keys.TryGetValue(id, out var key)
            ? (id, key)
            : throw new CredentialKeyException("No active credential key is configured (Credentials:ActiveKeyId, Credentials:Keys).");
    }

    private async Task AuditAsync(Guid integrationId, string purpose, string caller, string outcome, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO credential_audit (integration_id, purpose, caller, outcome) VALUES ({integrationId}, {purpose}, {caller}, {outcome})",
            cancellationToken);
        LogDecryptionFailed(logger, integrationId, purpose, outcome);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Decrypting the secret of integration {IntegrationId} for {Purpose} failed: {Outcome}")]
    private static partial void LogDecryptionFailed(ILogger logger, Guid integrationId, string purpose, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Count} secret(s) under key {KeyId}")]
    private static partial void LogRotated(ILogger logger, int count, string keyId);
}

using System.Text.Json;

namespace SfpPlatform.Core.Integrations;

/// <summary>
/// A registered provider credential: its kind, name, scope and non-secret settings, and the secret encrypted with
/// pgcrypto under the key named by <see cref="KeyId"/>. The plaintext secret never lives in this object.
/// </summary>
public sealed class Integration
{
    public Guid Id { get; set; }

    /// <summary>One of <see cref="IntegrationKinds"/>.</summary>
    public required string Kind { get; set; }

    public required string Name { get; set; }

    /// <summary>The project this credential belongs to; null for a global one. Project-scoped ones win.</summary>
    public string? ProjectKey { get; set; }

    /// <summary>The kind's non-secret settings (JSON object).</summary>
    public required JsonDocument Settings { get; set; }

    /// <summary><c>pgp_sym_encrypt</c> output; decrypted only in SQL, through the vault.</summary>
    public required byte[] SecretCiphertext { get; set; }

    /// <summary>The id of the configured key the secret is encrypted under (the key itself is never stored).</summary>
    public required string KeyId { get; set; }

    /// <summary>A short, non-reversible fingerprint of the secret, for people to tell secrets apart.</summary>
    public required string SecretFingerprint { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
